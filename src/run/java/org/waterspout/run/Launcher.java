package org.waterspout.run;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
  private static volatile boolean failing;

  private Launcher(Map<String, String> options) {
    this.options = options;
  }

  public static void main(String[] args) throws Exception {
    List<String> servers = List.of("payara-micro", "payara-server", "wildfly");
    if (args.length == 0 || !servers.contains(args[0])) {
      System.err.println("usage: Launcher payara-micro|payara-server|wildfly --option=value ...");
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
    // Maven's exec plugin passes no signal on: a SIGTERM to Maven (a CI job's or an IDE's stop, a
    // service manager), or Maven killed, would leave the server and the broker running. So when
    // Maven is gone, this stops everything it started (the shutdown hook).
    ProcessHandle.current()
        .parent()
        .ifPresent(
            maven ->
                maven
                    .onExit()
                    .thenRun(
                        () -> {
                          System.err.println("[waterspout] Maven is gone: stopping everything.");
                          System.exit(0);
                        }));
    try {
      launcher.run(args[0]);
    } catch (StartFailed e) {
      fail(e.getMessage());
    } catch (Exception | Error e) {
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
      Slot wildfly = slot(null, null, false);
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
          true);
    } else {
      broker = supervise(startBroker(work), () -> startBroker(work), false);
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
        app = supervise(micro.start(), micro, true);
      } else {
        PayaraServer payara =
            PayaraServer.start(path("payara-home"), work.resolve("payara-server"), Map.of(), watch);
        Slot slot = slot(payara.child(), null, false);
        payara.configure(path("payara-config"), path("rar"), adminPassword, true);
        payara.deploy(path("war"));
        app = payara.child();
        // Configured, with the WAR deployed: a restart starts the domain as it is.
        slot.supervise(
            () ->
                PayaraServer.launch(
                        path("payara-home"), work.resolve("payara-server"), Map.of(), watch)
                    .child(),
            true);
      }
    }
    Supplier<String> failure = watch::failure;
    Waits.forHttp(app, "http://localhost:" + HTTP_PORT + CONTEXT, SERVER_START, failure);
    Banner.print(out, server, seconds(), adminPassword, options, app, broker);
    while (true) {
      for (Slot slot : slots()) {
        if (slot.child != null && !slot.child.isAlive() && !stopping) {
          restart(slot, failure);
        }
      }
      Thread.sleep(1000);
    }
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
    say(
        dead.name()
            + " stopped unexpectedly"
            + exit
            + "; starting it again (log: "
            + dead.log()
            + ")");
    long began = System.nanoTime();
    Child started = slot.hold(slot.restart.start());
    if (stopping) {
      return;
    }
    if (slot.http) {
      Waits.forHttp(started, "http://localhost:" + HTTP_PORT + CONTEXT, SERVER_START, failure);
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
   * other processes stay up), and {@code http} says to wait for WaterSpout's page after that.
   */
  private Child supervise(Child child, Restart restart, boolean http) {
    slot(child, restart, http);
    return child;
  }

  private Slot slot(Child child, Restart restart, boolean http) {
    Slot slot = new Slot(child, restart, http);
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
  private static final class Slot {
    volatile Child child;
    Restart restart;
    boolean http;
    final List<Long> restarts = new ArrayList<>();

    Slot(Child child, Restart restart, boolean http) {
      this.child = child;
      this.restart = restart;
      this.http = http;
    }

    void supervise(Restart restart, boolean http) {
      this.restart = restart;
      this.http = http;
    }

    /** Makes {@code started} the process of this slot (the one to stop and to watch). */
    Child hold(Child started) {
      child = started;
      return started;
    }
  }

  private void stopAll() {
    stopping = true;
    List<Child> running = new ArrayList<>();
    synchronized (children) {
      children.stream().filter(slot -> slot.child != null).forEach(s -> running.add(s.child));
    }
    PrintStream console = console();
    // Last started first: the server before the broker it depends on.
    for (int i = running.size() - 1; i >= 0; i--) {
      Child child = running.get(i);
      if (!child.isAlive()) {
        continue;
      }
      console.println("[waterspout] Stopping " + child.name() + " ...");
      child.stop();
      console.println("[waterspout] " + child.name() + " stopped.");
    }
    if (!failing) {
      // Stopped on request (Ctrl-C, SIGTERM): a clean stop, so no error status for Maven to report.
      console.flush();
      Runtime.getRuntime().halt(0);
    }
  }

  /**
   * Where stop messages go. Ctrl-C ends Maven at once, and with it the pipe it reads our output
   * from, so a terminal user would never see them; the controlling terminal is still there.
   */
  private PrintStream console() {
    try {
      return new PrintStream(new FileOutputStream("/dev/tty"), true, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return out;
    }
  }

  private Path path(String option) {
    String value = options.get(option);
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("missing --" + option + "=...");
    }
    return Path.of(value).toAbsolutePath().normalize();
  }

  /**
   * The demo admin's password: {@code WATERSPOUT_DEMO_ADMIN_PASSWORD} when set (for scripts that
   * drive the admin page), otherwise a new one each run. The banner prints it either way.
   */
  private static String demoAdminPassword() {
    String chosen = System.getenv("WATERSPOUT_DEMO_ADMIN_PASSWORD");
    return chosen == null || chosen.isBlank() ? password() : chosen;
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
