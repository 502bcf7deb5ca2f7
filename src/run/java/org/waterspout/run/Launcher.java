package org.waterspout.run;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Starts WaterSpout in demo mode on one server for a developer, as {@code mvn -Prun}, {@code mvn
 * -Prun-payara-server} and {@code mvn -Prun-wildfly} do: the broker (Payara's external Artemis, or
 * WildFly's embedded one), the server configured with the project's server-config scripts, the WAR,
 * and directions. Stays in the foreground until Ctrl-C or SIGTERM (to it or to Maven, or Maven
 * killed), then stops the server and the broker, each waited for. A process that dies meanwhile is
 * started again while the others stay up (the broker keeps its journal, the server its history);
 * one that dies {@value #MAX_RESTARTS} times in five minutes stops everything.
 *
 * <pre>
 * java -cp target/run-classes org.waterspout.run.Launcher payara-micro|payara-server|wildfly
 *     --war=FILE --work=DIR --artemis-home=DIR --broker-config=DIR
 *     [--payara-micro-jar=FILE --postboot=FILE] [--payara-home=DIR --payara-config=DIR --rar=FILE]
 *     [--wildfly-home=DIR --wildfly-config=DIR]
 * </pre>
 */
public final class Launcher {

  public static final int HTTP_PORT = 8080;
  public static final String CONTEXT = "/waterspout/";
  static final String LOCAL_URL = "http://localhost:" + HTTP_PORT + CONTEXT;

  /** The instances of {@code mvn -Prun-cluster}, behind the load balancer on {@link #HTTP_PORT}. */
  /** The ports of the instances of {@code mvn -Prun-cluster} by default (two). */
  public static final List<Integer> INSTANCE_PORTS = instancePorts(2);

  /** The most instances {@code -Dinstances} may ask for (ports 8081 to 8089). */
  static final int MAX_INSTANCES = 9;

  /** The ports of {@code count} instances: 8081, 8082, ... */
  public static List<Integer> instancePorts(int count) {
    List<Integer> ports = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      ports.add(HTTP_PORT + i);
    }
    return List.copyOf(ports);
  }

  private static final String NETTY =
      "org.apache.activemq.artemis.core.remoting.impl.netty.NettyConnectorFactory";
  static final Duration SERVER_START = Duration.ofSeconds(240);

  /** A process that dies is started again, up to this many times in {@link #RESTART_WINDOW}. */
  static final int MAX_RESTARTS = 5;

  static final Duration RESTART_WINDOW = Duration.ofMinutes(5);

  /** The demo's admin user; its password is made up for each run and printed. */
  static final String DEMO_ADMIN = "wsadmin";

  private final Map<String, String> options;
  private final PrintStream out = System.out;
  private final List<Slot> children = new ArrayList<>();
  private final long started = System.nanoTime();
  private volatile boolean stopping;

  /** The machine's PostgreSQL, when this run uses it (and stops it if it started it). */
  private volatile Postgres postgres;

  private static volatile boolean failing;

  private Launcher(Map<String, String> options) {
    this.options = options;
  }

  public static void main(String[] args) throws Exception {
    List<String> servers = List.of("payara-micro", "payara-server", "wildfly", "cluster");
    if (args.length == 0 || !servers.contains(args[0])) {
      System.err.println(
          "usage: Launcher payara-micro|payara-server|wildfly|cluster --option=value ...");
      System.exit(2);
    }
    Map<String, String> options = new HashMap<>();
    for (int i = 1; i < args.length; i++) {
      String arg = args[i];
      int eq = arg.indexOf('=');
      options.put(
          arg.substring(2, eq < 0 ? arg.length() : eq), eq < 0 ? "" : arg.substring(eq + 1));
    }
    Launcher launcher = new Launcher(options);
    Runtime.getRuntime().addShutdownHook(new Thread(launcher::stopAll, "launcher-stop"));
    // What a launcher of this work directory that was itself killed (kill -9) left running.
    Path work = launcher.path("work");
    Leftovers.stop(work, System.out);
    Child.markAs(Leftovers.mark(work));
    // Run by Maven (mvn -Prun...), the launcher is in Maven's JVM, whose shutdown hooks (this
    // one's among them) run on any stop signal, and which ends only when they have. Started as a
    // process of its own (ClusterIT, by hand), its parent may go away without a signal to it: then
    // it stops everything it started (the shutdown hook).
    if (System.getProperty("maven.home") == null) {
      ProcessHandle.current()
          .parent()
          .ifPresent(
              parent ->
                  parent
                      .onExit()
                      .thenRun(
                          () -> {
                            System.err.println(
                                "[waterspout] The launcher's parent is gone: stopping everything.");
                            System.exit(0);
                          }));
    }
    try {
      if (args[0].equals("cluster")) {
        launcher.runCluster();
      } else {
        launcher.run(args[0]);
      }
    } catch (StartFailed e) {
      if (!launcher.stopping) {
        fail(e.getMessage());
      }
    } catch (Exception | Error e) {
      if (launcher.stopping) {
        // A restart that the stop cut short: the shutdown hook stops what was started.
        return;
      }
      // Anything else is a failure too: Maven must not report success for a launcher that died.
      e.printStackTrace();
      fail(e.toString());
    }
  }

  private static void fail(String message) {
    failing = true;
    System.err.println();
    System.err.println("[waterspout] " + message);
    System.exit(1);
  }

  private void run(String server) throws Exception {
    Path work = path("work");
    String adminPassword = demoAdminPassword();
    LogWatch watch = new LogWatch(out);
    Waits.requireFree(HTTP_PORT, "HTTP (" + server + ")");
    Child broker = null;
    Child app;
    if (server.equals("wildfly")) {
      List<WildFly.User> users =
          List.of(
              new WildFly.User(DEMO_ADMIN, adminPassword, "waterspout-admin", false),
              new WildFly.User(DEMO_ADMIN, adminPassword, null, true));
      // Held from the moment it starts, so a stop while it is starting stops it too.
      Slot wildfly = slot(null, null, null);
      app =
          WildFly.start(
              path("wildfly-home"),
              work.resolve("wildfly"),
              path("wildfly-config"),
              Map.of(),
              users,
              watch,
              wildfly::hold);
      WildFly.deploy(path("wildfly-home"), path("war"));
      // Configured, with the WAR deployed: a restart starts it as it is (with a new log watch,
      // which waits for this start's "started" line).
      wildfly.supervise(
          () ->
              WildFly.launch(
                  path("wildfly-home"),
                  work.resolve("wildfly"),
                  Map.of(),
                  new LogWatch(out),
                  wildfly::hold),
          LOCAL_URL);
    } else {
      broker = supervise(startBroker(work), () -> startBroker(work), null);
      say("Artemis broker ready on localhost:" + ArtemisBroker.PORT + " (" + seconds() + ")");
      if (server.equals("payara-micro")) {
        Path postboot =
            PayaraMicro.withUsers(
                path("postboot"),
                work.resolve("post-boot-commands.asadmin"),
                List.of(new PayaraMicro.User(DEMO_ADMIN, adminPassword, "waterspout-admin")));
        Restart micro =
            () ->
                PayaraMicro.start(
                    path("payara-micro-jar"),
                    postboot,
                    path("war"),
                    work,
                    List.of("-Dwaterspout.demo.enabled=true"),
                    watch);
        app = supervise(micro.start(), micro, LOCAL_URL);
      } else {
        PayaraServer payara =
            PayaraServer.start(path("payara-home"), work.resolve("payara-server"), Map.of(), watch);
        Slot slot = slot(payara.child(), null, null);
        payara.configure(path("payara-config"), path("rar"), adminPassword, true);
        payara.deploy(path("war"));
        app = payara.child();
        // Configured, with the WAR deployed: a restart starts the domain as it is.
        slot.supervise(
            () ->
                PayaraServer.launch(
                        path("payara-home"), work.resolve("payara-server"), Map.of(), watch)
                    .child(),
            LOCAL_URL);
      }
    }
    Supplier<String> failure = watch::failure;
    Waits.forHttp(app, LOCAL_URL, SERVER_START, failure);
    Banner.print(out, server, seconds(), adminPassword, options, app, broker);
    superviseForever(failure);
  }

  /** Starts again, one at a time, each process that dies, until a stop. */
  private void superviseForever(Supplier<String> failure) throws Exception {
    while (true) {
      for (Slot slot : slots()) {
        if (slot.child != null && !slot.child.isAlive() && !stopping) {
          restart(slot, failure);
        }
      }
      Thread.sleep(1000);
    }
  }

  /** {@code --instances} (Maven: {@code -Dinstances=N}), 2 when not given. */
  private int instanceCount() throws StartFailed {
    String value = options.getOrDefault("instances", "2");
    try {
      int count = Integer.parseInt(value.trim());
      if (count >= 1 && count <= MAX_INSTANCES) {
        return count;
      }
    } catch (NumberFormatException e) {
      // Said below.
    }
    throw new StartFailed(
        "-Dinstances must be a number from 1 to " + MAX_INSTANCES + ", not '" + value + "'");
  }

  /**
   * {@code mvn -Prun-cluster}: an Artemis primary/backup pair (61616, 61617), PostgreSQL, two
   * Payara Micro instances (8081, 8082; {@code -Dinstances=N} for N) sharing it with the fan-out
   * topic on, and HAProxy on 8080 in front of them. The instances share the token secret and the
   * admin password of this run.
   */
  private void runCluster() throws Exception {
    Path work = path("work").resolve("cluster");
    String adminPassword = demoAdminPassword();
    for (int port : List.of(HTTP_PORT, ArtemisBroker.PORT, ArtemisBroker.BACKUP_PORT)) {
      Waits.requireFree(port, "mvn -Prun-cluster");
    }
    List<Integer> instancePorts = instancePorts(instanceCount());
    for (int port : instancePorts) {
      Waits.requireFree(port, "an instance of mvn -Prun-cluster");
    }
    postgres = Postgres.prepare("or use mvn -Prun, whose history is an H2 file of its own");
    // Kept between runs, unless asked for an empty one (-Dfresh-history=true, the benchmark's).
    Database database =
        Boolean.parseBoolean(options.getOrDefault("fresh-history", "false"))
            ? postgres.freshDatabase("waterspout_run", "waterspout_cluster", password())
            : postgres.database("waterspout_run", "waterspout_cluster", password());
    say("PostgreSQL ready: " + database + " (" + seconds() + ")");

    String clusterPassword = password();
    for (ArtemisBroker.Role role : ArtemisBroker.Role.values()) {
      Restart broker =
          () ->
              ArtemisBroker.startInPair(
                  path("artemis-home"),
                  work.resolve("broker-" + role.name().toLowerCase(java.util.Locale.ROOT)),
                  path("broker-config"),
                  path("broker-ha-config"),
                  role,
                  clusterPassword,
                  out);
      supervise(broker.start(), broker, null);
    }
    say(
        "Artemis pair ready: primary on localhost:"
            + ArtemisBroker.PORT
            + ", backup on localhost:"
            + ArtemisBroker.BACKUP_PORT
            + " ("
            + seconds()
            + ")");

    Path postboot =
        PayaraMicro.withUsers(
            clusterPostboot(work),
            work.resolve("post-boot-commands.asadmin"),
            List.of(new PayaraMicro.User(DEMO_ADMIN, adminPassword, "waterspout-admin")));
    Map<String, String> environment =
        Map.of(
            "WATERSPOUT_HISTORY_PASSWORD", database.password(),
            "WATERSPOUT_TOKEN_SECRET", sharedSecret());
    List<String> jvmOptions =
        List.of(
            "-Dwaterspout.demo.enabled=true",
            "-Dwaterspout.cluster.fanout=true",
            "-Dwaterspout.history.host=" + database.host(),
            "-Dwaterspout.history.port=" + database.port(),
            "-Dwaterspout.history.database=" + database.name(),
            "-Dwaterspout.history.user=" + database.user());
    Supplier<String> failure = () -> null;
    // One after the other: the first creates the history's tables, which the second then finds.
    for (int i = 0; i < instancePorts.size(); i++) {
      int port = instancePorts.get(i);
      String url = "http://localhost:" + port + CONTEXT;
      LogWatch watch = new LogWatch(out);
      String name = "Payara Micro " + (i + 1);
      Restart instance =
          () ->
              PayaraMicro.start(
                  name,
                  port,
                  path("payara-micro-jar"),
                  postboot,
                  path("war"),
                  work,
                  named(jvmOptions, "localhost:" + port),
                  environment,
                  watch);
      Child started = supervise(instance.start(), instance, url);
      Waits.forHttp(started, url, SERVER_START, watch::failure);
      say(name + " ready on " + url + " (" + seconds() + ")");
    }

    Restart balancer =
        () ->
            LoadBalancer.start(
                work.resolve("haproxy"),
                HTTP_PORT,
                instancePorts,
                // Payara Micro's readiness says 200 before the WAR is deployed (ClusterIT: a
                // restarted instance answered handshakes 404): the application's page as well.
                List.of(CONTEXT, "/health/ready"),
                out);
    // Stopped last: the instances' closes (1001, "connect again") reach the clients through it.
    Child haproxy = slot(balancer.start(), balancer, LOCAL_URL).stoppedLast().child();
    Waits.forHttp(haproxy, LOCAL_URL, SERVER_START, failure);
    LoadBalancer.awaitAllUp(haproxy, instancePorts.size(), SERVER_START);
    Banner.printCluster(
        out,
        seconds(),
        adminPassword,
        options,
        database,
        instancePorts,
        slots().stream().map(Slot::child).toList());
    superviseForever(failure);
  }

  /**
   * The instances' post-boot commands: those of Payara Micro, the resource adapter configured for
   * the pair before it is deployed, and the PostgreSQL history's pool instead of H2's.
   */
  private Path clusterPostboot(Path work) throws IOException {
    String commands = java.nio.file.Files.readString(path("postboot"));
    String deploy = "deploy --type rar";
    if (!commands.contains(deploy)) {
      throw new IllegalStateException(path("postboot") + " has no line " + deploy);
    }
    String pair =
        "# mvn -Prun-cluster: the pair, followed by its topology (HA) when the primary is lost.\n"
            + "create-resource-adapter-config --property"
            + " ConnectorClassName="
            + NETTY
            + ","
            + NETTY
            + ":ConnectionParameters=host\\=localhost\\;port\\="
            + ArtemisBroker.PORT
            + ",host\\=localhost\\;port\\="
            + ArtemisBroker.BACKUP_PORT
            + ":HA=true:ReconnectAttempts=-1 artemis-jakarta-ra\n";
    Path file = work.resolve("post-boot-cluster.asadmin");
    java.nio.file.Files.createDirectories(work);
    java.nio.file.Files.writeString(
        file,
        commands.replace(deploy, pair + deploy)
            + "\n"
            + java.nio.file.Files.readString(path("postboot-postgresql")));
    return file;
  }

  /** Starts a process again, one that died (the others stay up); too many deaths stop all. */
  private void restart(Slot slot, Supplier<String> failure) throws Exception {
    Child dead = slot.child;
    String exit = dead.exitCode() == null ? "" : " (exit code " + dead.exitCode() + ")";
    if (slot.restart == null) {
      throw new StartFailed(dead.name() + " stopped unexpectedly" + exit + dead.tail());
    }
    long now = System.nanoTime();
    slot.restarts.removeIf(at -> now - at > RESTART_WINDOW.toNanos());
    if (slot.restarts.size() >= MAX_RESTARTS) {
      throw new StartFailed(
          dead.name()
              + " stopped unexpectedly"
              + exit
              + ", "
              + (MAX_RESTARTS + 1)
              + " times in "
              + RESTART_WINDOW.toMinutes()
              + " minutes: stopping everything"
              + dead.tail());
    }
    slot.restarts.add(now);
    // Exit code 0: it ended itself (an Artemis backup does when its primary comes back).
    say(
        dead.name()
            + (Integer.valueOf(0).equals(dead.exitCode()) ? " ended" : " stopped unexpectedly")
            + exit
            + "; starting it again (log: "
            + dead.log()
            + ")");
    long began = System.nanoTime();
    Child started = slot.hold(slot.restart.start());
    if (stopping) {
      return;
    }
    if (slot.url != null) {
      Waits.forHttp(started, slot.url, SERVER_START, failure);
    }
    say(
        String.format(
            "%s is running again (%.1f s)", started.name(), (System.nanoTime() - began) / 1e9));
  }

  private Child startBroker(Path work) throws Exception {
    return ArtemisBroker.start(
        path("artemis-home"), work.resolve("broker"), path("broker-config"), false, out);
  }

  /**
   * Keeps {@code child} running: when it dies unexpectedly, {@code restart} starts it again (the
   * other processes stay up), and waits for {@code url} (unless null) to answer after that.
   */
  private Child supervise(Child child, Restart restart, String url) {
    slot(child, restart, url);
    return child;
  }

  private Slot slot(Child child, Restart restart, String url) {
    Slot slot = new Slot(child, restart, url);
    synchronized (children) {
      children.add(slot);
    }
    return slot;
  }

  private List<Slot> slots() {
    synchronized (children) {
      return List.copyOf(children);
    }
  }

  /** How a process is started again. */
  @FunctionalInterface
  interface Restart {
    Child start() throws Exception;
  }

  /** A process the launcher started, and how to start it again. */
  static final class Slot {
    volatile Child child;
    Restart restart;
    String url;
    final List<Long> restarts = new ArrayList<>();
    volatile boolean stoppedLast;

    Slot(Child child, Restart restart, String url) {
      this.child = child;
      this.restart = restart;
      this.url = url;
    }

    /** Stops this slot's process after all the others (a load balancer in front of the servers). */
    Slot stoppedLast() {
      stoppedLast = true;
      return this;
    }

    void supervise(Restart restart, String url) {
      this.restart = restart;
      this.url = url;
    }

    /** The process of this slot now (another one after a restart), or null. */
    Child child() {
      return child;
    }

    /** Makes {@code started} the process of this slot (the one to stop and to watch). */
    Child hold(Child started) {
      child = started;
      return started;
    }
  }

  private void stopAll() {
    stopping = true;
    // Every process still running, a restart's under way included; no start after this one.
    List<Child> alive = Child.refuseStartsAndList();
    // In the order of their slots (a restarted broker stays before the servers that use it), then
    // any a restart started but had not handed to its slot yet.
    List<Child> running = new ArrayList<>();
    for (Slot slot : slots()) {
      if (slot.child != null && alive.contains(slot.child)) {
        running.add(slot.stoppedLast ? 0 : running.size(), slot.child);
      }
    }
    alive.stream().filter(child -> !running.contains(child)).forEach(running::add);
    PrintStream console = out;
    // Last first: the servers before the brokers they depend on; the load balancer after all.
    for (int i = running.size() - 1; i >= 0; i--) {
      Child child = running.get(i);
      if (!child.isAlive()) {
        continue;
      }
      console.println("[waterspout] Stopping " + child.name() + " ...");
      child.stop();
      console.println("[waterspout] " + child.name() + " stopped.");
    }
    if (postgres != null) {
      // Left running if it was: it is the machine's, and other databases may live in it.
      postgres.stopIfStartedHere();
    }
    if (!failing) {
      // Stopped on request (Ctrl-C, SIGTERM): a clean stop, so no error status for Maven to report.
      console.flush();
      Runtime.getRuntime().halt(0);
    }
  }

  private Path path(String option) {
    String value = options.get(option);
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("missing --" + option + "=...");
    }
    return Path.of(value).toAbsolutePath().normalize();
  }

  /** The JVM options with this instance's name for the admin page's cluster view. */
  private static List<String> named(List<String> jvmOptions, String name) {
    List<String> options = new ArrayList<>(jvmOptions);
    options.add("-Dwaterspout.instance.name=" + name);
    return options;
  }

  /**
   * The demo admin's password: {@code WATERSPOUT_DEMO_ADMIN_PASSWORD} when set (for scripts that
   * drive the admin page), otherwise a new one each run. The banner prints it either way.
   */
  private static String demoAdminPassword() {
    String chosen = System.getenv("WATERSPOUT_DEMO_ADMIN_PASSWORD");
    return chosen == null || chosen.isBlank() ? password() : chosen;
  }

  /**
   * The token secret the instances of the cluster share (a token signed for one is good on the
   * other): {@code WATERSPOUT_TOKEN_SECRET} when set (for a test or a script that mints its own
   * tokens), otherwise a new one each run; the demo page mints tokens with it either way.
   */
  private static String sharedSecret() {
    String chosen = System.getenv("WATERSPOUT_TOKEN_SECRET");
    return chosen == null || chosen.isBlank() ? password() + password() + password() : chosen;
  }

  /** A random password, 16 characters that are easy to read and type. */
  static String password() {
    SecureRandom random = new SecureRandom();
    String alphabet = "abcdefghijkmnopqrstuvwxyzACDEFGHJKLMNPQRSTUVWXYZ2345679";
    StringBuilder password = new StringBuilder();
    for (int i = 0; i < 16; i++) {
      password.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return password.toString();
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private String seconds() {
    return String.format("%.1f s", (System.nanoTime() - started) / 1e9);
  }

  private void say(String message) {
    out.println("[waterspout] " + message);
  }
}
