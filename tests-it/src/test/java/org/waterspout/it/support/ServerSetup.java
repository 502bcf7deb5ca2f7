package org.waterspout.it.support;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.awaitility.Awaitility;
import org.jboss.arquillian.container.spi.event.container.AfterStop;
import org.jboss.arquillian.container.spi.event.container.BeforeStart;
import org.jboss.arquillian.core.api.annotation.Observes;
import org.waterspout.run.ArtemisBroker;
import org.waterspout.run.Child;
import org.waterspout.run.Database;
import org.waterspout.run.LogWatch;
import org.waterspout.run.PayaraMicro;
import org.waterspout.run.PayaraServer;
import org.waterspout.run.Postgres;
import org.waterspout.run.Trees;
import org.waterspout.run.WildFly;

/**
 * Starts what the server under test needs before Arquillian uses it, once per run, with the same
 * code and server-config scripts as {@code mvn -Prun...}: the Artemis broker for Payara; a fresh
 * Payara Server domain configured by {@code waterspout.asadmin}; WildFly configured by {@code
 * install.cli} and {@code dev.cli}. Each server gets the test secret and the small outbox as
 * environment variables (MicroProfile Config reads them) and two realm users: an admin and a user
 * without the role. Everything stops when the container stops, or when the JVM exits.
 *
 * <p>The history store is chosen by {@code -Dit.store}: {@code default}, the H2 file the scripts
 * create, empty at the start of each run; or {@code postgresql}, the machine's PostgreSQL ({@link
 * Postgres}) with a fresh database, set up by the server's PostgreSQL script. Each run works in
 * {@code ${it.work}/<server>} (or {@code <server>-postgresql}): logs, broker, domain or base dir.
 *
 * <p>{@link #restartServer()} restarts the application server in the middle of a run.
 */
public class ServerSetup {

  private static final Logger LOG = Logger.getLogger(ServerSetup.class.getName());

  private static final Duration READY = Duration.ofSeconds(240);

  /** The run's setup, for {@link #restartServer()}: Arquillian makes one per run. */
  private static volatile ServerSetup current;

  private final List<Child> started = new ArrayList<>();
  private final PrintStream console = new PrintStream(OutputStream.nullOutputStream());
  private String server;
  private PayaraServer payara;
  private Child wildfly;
  private Postgres postgres;
  private Database database;

  public void beforeStart(@Observes BeforeStart event) throws Exception {
    current = this;
    Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll, "it-servers-stop"));
    String adapter = event.getDeployableContainer().getClass().getName();
    if (adapter.contains("wildfly") || adapter.contains("jboss")) {
      server = "wildfly";
    } else if (adapter.contains("Micro")) {
      server = "payara-micro";
    } else {
      server = "payara-server";
    }
    database = postgresql() ? freshDatabase() : null;
    LOG.info(
        () ->
            "Starting "
                + server
                + " in "
                + dir()
                + " with the history "
                + (database == null ? "in H2" : "in " + database));
    if (server.equals("wildfly")) {
      startWildFly(database);
    } else if (server.equals("payara-micro")) {
      startBroker();
      writePayaraMicroPostBoot(database);
    } else {
      startBroker();
      startPayaraServer(database);
    }
  }

  public void afterStop(@Observes AfterStop event) {
    stopAll();
  }

  /**
   * Restarts the application server under test with the same configuration and the same deployment,
   * keeping its data (the history store, WildFly's embedded broker); the Payaras' broker, a process
   * of its own, keeps running. Returns once WaterSpout answers again: its page with 200 and the
   * server's readiness checks up.
   *
   * @return how long the restart took
   */
  public static Duration restartServer() throws Exception {
    ServerSetup setup = current;
    if (setup == null) {
      throw new IllegalStateException(
          "no server under test: restartServer() is for Arquillian tests");
    }
    return setup.restart();
  }

  /** True when this run keeps the history on PostgreSQL, where {@link #onHistoryDatabase} works. */
  public static boolean historyOnPostgresql() {
    return postgresql();
  }

  /**
   * Runs {@code sql} on the server's history database as PostgreSQL's superuser (to break it on
   * purpose: a trigger that fails writes, for one). Only on the runs on PostgreSQL.
   */
  public static void onHistoryDatabase(String sql) throws Exception {
    ServerSetup setup = withHistoryDatabase();
    setup.postgres.execute(setup.database.name(), sql);
  }

  /** What {@code sql} returns on the history database (see {@link #onHistoryDatabase}). */
  public static String queryHistoryDatabase(String sql) throws Exception {
    ServerSetup setup = withHistoryDatabase();
    return setup.postgres.query(setup.database.name(), sql);
  }

  /**
   * True when the broker is a process of its own (the Payaras'), which {@link #killBroker} kills.
   */
  public static boolean brokerOfItsOwn() {
    ServerSetup setup = current;
    return setup != null && !setup.server.equals("wildfly");
  }

  /**
   * Kills the broker as a crash would ({@code kill -9}), then starts it again on its journal;
   * returns once it listens again, with how long it was away. Only where {@link #brokerOfItsOwn}.
   */
  public static Duration killAndRestartBroker() throws Exception {
    return killAndRestartBroker(() -> {});
  }

  /** What a test does while the broker is away. */
  public interface WhileDown {
    void run() throws Exception;
  }

  /** {@link #killAndRestartBroker()}, doing {@code whileDown} before the broker starts again. */
  public static Duration killAndRestartBroker(WhileDown whileDown) throws Exception {
    ServerSetup setup = current;
    if (!brokerOfItsOwn()) {
      throw new IllegalStateException("no broker of its own in this run");
    }
    return setup.restartBroker(whileDown);
  }

  private synchronized Duration restartBroker(WhileDown whileDown) throws Exception {
    Child broker =
        started.stream()
            .filter(child -> child.name().equals("Artemis broker"))
            .findFirst()
            .orElseThrow();
    long begin = System.nanoTime();
    List<ProcessHandle> tree = broker.tree();
    tree.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle process : tree) {
      process.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
    }
    started.remove(broker);
    rotate(broker.log());
    try {
      whileDown.run();
    } finally {
      started.add(
          ArtemisBroker.start(
              path("artemis.home"),
              dir().resolve("broker"),
              basedir().resolve("server-config/artemis"),
              false,
              console));
    }
    return Duration.ofNanos(System.nanoTime() - begin);
  }

  /** Stops the history's PostgreSQL, every connection cut (on the runs on PostgreSQL only). */
  public static void stopHistoryDatabase() throws Exception {
    withHistoryDatabase().postgres.stop();
  }

  /** Starts the history's PostgreSQL again after {@link #stopHistoryDatabase}. */
  public static void startHistoryDatabase() throws Exception {
    withHistoryDatabase().postgres.start();
  }

  private static ServerSetup withHistoryDatabase() {
    ServerSetup setup = current;
    if (setup == null || setup.database == null) {
      throw new IllegalStateException("no history database on PostgreSQL in this run");
    }
    return setup;
  }

  private synchronized Duration restart() throws Exception {
    long begin = System.nanoTime();
    LOG.info(() -> "Restarting " + server);
    switch (server) {
      case "payara-micro" -> SharedPayaraMicroContainer.restartRunning();
      case "payara-server" -> {
        payara.stop();
        started.remove(payara.child());
        rotate(payara.child().log());
        payara = PayaraServer.launch(path("payara.home"), dir(), environment(), watch());
        started.add(payara.child());
      }
      default -> {
        wildfly.stop();
        started.remove(wildfly);
        rotate(wildfly.log());
        wildfly = WildFly.launch(path("wildfly.home"), dir(), environment(), watch(), this::track);
      }
    }
    awaitReady();
    Duration took = Duration.ofNanos(System.nanoTime() - begin);
    LOG.info(() -> server + " restarted in " + took.toMillis() + " ms");
    return took;
  }

  private void startBroker() throws Exception {
    started.add(
        ArtemisBroker.start(
            path("artemis.home"),
            dir().resolve("broker"),
            basedir().resolve("server-config/artemis"),
            true,
            console));
  }

  /**
   * The post-boot commands of mvn -Prun, with the H2 file in this run's directory (emptied), or
   * with the PostgreSQL commands appended; plus the test users. The adapter starts Payara Micro.
   */
  private void writePayaraMicroPostBoot(Database database) throws IOException {
    Path base = path("payara.postboot.base");
    String commands = Files.readString(base);
    String runHistory = System.getProperty("payara.micro.history.dir");
    if (runHistory == null || !commands.contains(runHistory)) {
      throw new IllegalStateException(base + " does not name payara.micro.history.dir (pom.xml)");
    }
    Path history = dir().resolve("history");
    Trees.delete(history);
    commands = commands.replace(runHistory, history.toString());
    if (database != null) {
      // Its settings as the system properties postgresql.asadmin refers to; the password is
      // WATERSPOUT_HISTORY_PASSWORD, which Payara Micro inherits from this JVM (pom.xml).
      commands +=
          "\ncreate-system-properties "
              + database.payaraSystemProperties()
              + "\n"
              + Files.readString(base.resolveSibling("postgresql.asadmin"));
    }
    Path withStore = dir().resolve("post-boot-store.asadmin");
    Files.createDirectories(dir());
    Files.writeString(withStore, commands);
    PayaraMicro.withUsers(
        withStore,
        path("payara.postboot"),
        List.of(
            new PayaraMicro.User(
                System.getProperty("it.admin.user"),
                System.getProperty("it.admin.password"),
                "waterspout-admin"),
            new PayaraMicro.User(
                System.getProperty("it.user.user"),
                System.getProperty("it.user.password"),
                "staff")));
  }

  private void startPayaraServer(Database database) throws Exception {
    // Logs an earlier run's restarts left (see rotate): the domain itself is made afresh.
    if (Files.isDirectory(dir())) {
      try (var files = Files.list(dir())) {
        for (Path old :
            files.filter(f -> f.getFileName().toString().matches(".*\\.log\\.\\d+")).toList()) {
          Files.delete(old);
        }
      }
    }
    payara = PayaraServer.start(path("payara.home"), dir(), environment(), watch());
    started.add(payara.child());
    payara.configure(
        basedir().resolve("server-config/payara-server"),
        path("rar.file"),
        System.getProperty("it.admin.password"),
        true);
    payara.addUser(
        System.getProperty("it.user.user"), System.getProperty("it.user.password"), "staff");
    if (database != null) {
      payara.usePostgresql(
          basedir().resolve("server-config/payara-server"), path("postgresql.jar"), database);
    }
    payara.pingHistory();
  }

  private void startWildFly(Database database) throws Exception {
    String admin = System.getProperty("it.admin.user");
    String adminPassword = System.getProperty("it.admin.password");
    List<WildFly.User> users =
        List.of(
            new WildFly.User(admin, adminPassword, "waterspout-admin", false),
            new WildFly.User(admin, adminPassword, null, true),
            new WildFly.User(
                System.getProperty("it.user.user"),
                System.getProperty("it.user.password"),
                "staff",
                false));
    wildfly =
        WildFly.start(
            path("wildfly.home"),
            dir(),
            basedir().resolve("server-config/wildfly"),
            database == null
                ? null
                : new WildFly.PostgresqlHistory(path("postgresql.jar"), database),
            environment(),
            users,
            watch(),
            this::track);
    WildFly.testHistory(path("wildfly.home"), dir());
  }

  private Child track(Child child) {
    synchronized (this) {
      started.add(child);
    }
    return child;
  }

  /**
   * What the test server must have: the secret the tests sign with, the small outbox and the short
   * heartbeat.
   */
  private static Map<String, String> environment() {
    return Map.ofEntries(
        Map.entry("WATERSPOUT_TOKEN_SECRET", System.getProperty("waterspout.token.secret")),
        Map.entry("WATERSPOUT_WS_OUTBOX_CAPACITY", System.getProperty("it.outbox.capacity")),
        Map.entry(
            "WATERSPOUT_WS_PING_INTERVAL_SECONDS", System.getProperty("it.ping-interval-seconds")),
        // Retention and receipts quick enough for a test to see them (as arquillian.xml for Micro).
        Map.entry("WATERSPOUT_HISTORY_MAX_PER_USER", System.getProperty("it.history.max-per-user")),
        Map.entry("WATERSPOUT_HISTORY_PURGE_INTERVAL_SECONDS", "1"),
        Map.entry("WATERSPOUT_RECEIPTS_UNSEEN_AFTER_SECONDS", "3"),
        // Members' group acks held a minute: a receipt then comes only by the prompt path.
        Map.entry("WATERSPOUT_HISTORY_GROUP_ACK_DELAY_MILLIS", "60000"),
        // The fan-out topic on, as on several instances: FanoutIT tests it, the rest run with it.
        Map.entry("WATERSPOUT_CLUSTER_FANOUT", "true"),
        // A client that resumes after its welcome, on a loaded machine, within the wait.
        Map.entry("WATERSPOUT_WS_RESUME_WAIT_MILLIS", "3000"),
        // PerimeterIT: an address it denies, and a proxy whose forwarding headers it reads.
        Map.entry("WATERSPOUT_SECURITY_IP_DENY", "127.0.0.77"),
        Map.entry("WATERSPOUT_SECURITY_TRUSTED_PROXIES", "127.0.0.66"),
        // IdentityIT: the test issuer's keys (the server keeps their public halves).
        Map.entry("WATERSPOUT_TOKEN_PUBLIC_KEYS", System.getProperty("it.token.public-keys")));
  }

  private static boolean postgresql() {
    String store = System.getProperty("it.store", "default");
    return switch (store) {
      case "default" -> false;
      case "postgresql" -> true;
      default -> throw new IllegalStateException("it.store is default or postgresql, not " + store);
    };
  }

  /**
   * PostgreSQL ready, and a database of this server's own, created afresh. Its password is the
   * WATERSPOUT_HISTORY_PASSWORD the servers inherit from this JVM (pom.xml), where Payara Micro and
   * WildFly read it; Payara Server keeps it as a password alias.
   */
  private Database freshDatabase() throws Exception {
    String password = System.getenv("WATERSPOUT_HISTORY_PASSWORD");
    if (password == null || password.isEmpty()) {
      throw new IllegalStateException(
          "the runs on PostgreSQL need WATERSPOUT_HISTORY_PASSWORD (pom.xml)");
    }
    postgres = Postgres.prepare("or skip the runs on it: -Dit.skip.postgresql=true");
    return postgres.freshDatabase(
        "waterspout_it", "waterspout_it_" + server.replace('-', '_'), password);
  }

  /** The logs and the work of this run: one directory per server and store. */
  private Path dir() {
    return path("it.work").resolve(postgresql() ? server + "-postgresql" : server);
  }

  /** A fresh watch: one that has seen a start already reports it at once. */
  private LogWatch watch() {
    return new LogWatch(console);
  }

  /** Keeps the log of the previous start as {@code NAME.1} (then .2, ...). */
  private static void rotate(Path log) throws IOException {
    if (!Files.exists(log)) {
      return;
    }
    for (int i = 1; ; i++) {
      Path old = log.resolveSibling(log.getFileName() + "." + i);
      if (!Files.exists(old)) {
        Files.move(log, old, StandardCopyOption.ATOMIC_MOVE);
        return;
      }
    }
  }

  /** WaterSpout's page answers 200, and the server's readiness checks are all up. */
  private void awaitReady() throws Exception {
    URI readiness =
        URI.create(
            server.equals("wildfly")
                ? "http://localhost:9990/health/ready"
                : "http://localhost:8080/health/ready");
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    Awaitility.await("WaterSpout's page and " + server + "'s readiness checks")
        .atMost(READY)
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              for (URI uri : List.of(Server.HTTP, readiness)) {
                String answer = answer(http, uri);
                if (!answer.startsWith("200 ")) {
                  throw new AssertionError(
                      server + " did not answer " + uri + " with 200: " + answer);
                }
              }
            });
  }

  /** The status and body of a GET, or the exception that stopped it. */
  private static String answer(HttpClient http, URI uri) throws InterruptedException {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() + " " + response.body();
    } catch (IOException e) {
      return e.toString();
    }
  }

  private synchronized void stopAll() {
    for (int i = started.size() - 1; i >= 0; i--) {
      Child child = started.get(i);
      if (child.isAlive()) {
        LOG.info(() -> "Stopping " + child.name());
        child.stop();
      }
    }
    started.clear();
    if (postgres != null) {
      postgres.stopIfStartedHere();
      postgres = null;
    }
  }

  private static Path basedir() {
    return path("waterspout.basedir");
  }

  private static Path path(String property) {
    String value = System.getProperty(property);
    if (value == null) {
      throw new IllegalStateException("system property " + property + " is not set (pom.xml)");
    }
    return Path.of(value);
  }
}
