package org.waterspout.run;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The machine's own PostgreSQL (Debian's package, cluster "main" on localhost:5432), made ready for
 * WaterSpout's history by the integration tests' runs on PostgreSQL and by {@code mvn
 * -Prun-cluster}: installed when missing (as root, with apt-get), prepared transactions enabled (XA
 * needs them), started when down, and a login role with a database of its own. Everything that
 * needs privileges runs as root, or through {@code sudo -n} otherwise; without either it says what
 * to do.
 */
public final class Postgres {

  private static final Logger LOG = Logger.getLogger(Postgres.class.getName());

  public static final String HOST = "localhost";
  public static final int PORT = 5432;

  /** Our setting, in the cluster's conf.d: read after postgresql.conf, so it wins. */
  private static final String CONF_FILE = "waterspout-tests.conf";

  private static final String CONF =
      "# Written by WaterSpout's integration tests: XA (two-phase commit) needs prepared"
          + " transactions.\nmax_prepared_transactions = 64\n";

  private static final long TIMEOUT_SECONDS = 600;

  private final String version;
  private boolean startedHere;

  private Postgres(String version) {
    this.version = version;
  }

  /**
   * Makes PostgreSQL ready: installed, XA enabled, running. {@code skipHint} ends the error that
   * says how to install it (how the caller does without PostgreSQL).
   */
  public static Postgres prepare(String skipHint) throws IOException, InterruptedException {
    if (!Files.isExecutable(Path.of("/usr/bin/pg_ctlcluster"))) {
      install(skipHint);
    }
    Postgres postgres = new Postgres(version());
    postgres.configureAndStart();
    return postgres;
  }

  /** A fresh, empty database, owned by the login role {@code role} with {@code password}. */
  public Database freshDatabase(String role, String name, String password)
      throws IOException, InterruptedException {
    return database(role, name, password, true);
  }

  /**
   * The database {@code name}, created when missing (what it holds is kept), owned by the login
   * role {@code role}, whose password becomes {@code password}.
   */
  public Database database(String role, String name, String password)
      throws IOException, InterruptedException {
    return database(role, name, password, false);
  }

  private Database database(String role, String name, String password, boolean fresh)
      throws IOException, InterruptedException {
    if (!name.matches("[a-z_][a-z0-9_]*")
        || !role.matches("[a-z_][a-z0-9_]*")
        || password.contains("'")) {
      throw new IllegalArgumentException("unusable role, database name or password: " + name);
    }
    if (!fresh
        && query("postgres", "SELECT 1 FROM pg_database WHERE datname = '" + name + "'")
            .equals("1")) {
      execute("postgres", "ALTER ROLE " + role + " WITH LOGIN PASSWORD '" + password + "';\n");
      return new Database(HOST, PORT, name, role, password);
    }
    // On standard input, not the command line: the password is not for ps.
    String sql =
        String.join(
            "\n",
            "DO $$ BEGIN",
            "  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + role + "') THEN",
            "    CREATE ROLE " + role + " LOGIN;",
            "  END IF;",
            "END $$;",
            "ALTER ROLE " + role + " WITH LOGIN PASSWORD '" + password + "';",
            "DROP DATABASE IF EXISTS " + name + " WITH (FORCE);",
            "CREATE DATABASE " + name + " OWNER " + role + ";",
            "");
    execute("postgres", sql);
    return new Database(HOST, PORT, name, role, password);
  }

  /** Runs {@code sql} in {@code database} as the superuser; a failing statement fails it. */
  public void execute(String database, String sql) throws IOException, InterruptedException {
    List<String> psql = new ArrayList<>(asPostgres());
    psql.addAll(List.of("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", database));
    run(psql, sql);
  }

  /** The rows {@code sql} returns in {@code database}, unaligned, one line per row. */
  public String query(String database, String sql) throws IOException, InterruptedException {
    List<String> psql = new ArrayList<>(asPostgres());
    psql.addAll(List.of("psql", "-X", "-q", "-A", "-t", "-d", database, "-c", sql));
    return output(psql).strip();
  }

  /**
   * Stops PostgreSQL at once, every connection cut (a database that goes away, for the tests of
   * what WaterSpout does then); {@link #start} brings it back.
   */
  public void stop() throws IOException, InterruptedException {
    run(privileged("pg_ctlcluster", version, "main", "stop", "-m", "fast"), null);
  }

  /** Starts PostgreSQL again after {@link #stop}, and returns once it listens. */
  public void start() throws IOException, InterruptedException {
    run(privileged("pg_ctlcluster", version, "main", "start"), null);
    awaitPort();
  }

  /** Stops PostgreSQL if this run started it: the machine is left as it was found. */
  public void stopIfStartedHere() {
    if (!startedHere) {
      return;
    }
    try {
      run(privileged("pg_ctlcluster", version, "main", "stop"), null);
      startedHere = false;
    } catch (IOException e) {
      LOG.warning("Stopping PostgreSQL failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void configureAndStart() throws IOException, InterruptedException {
    Path conf = Path.of("/etc/postgresql", version, "main", "conf.d", CONF_FILE);
    boolean changed = !Files.isRegularFile(conf) || !Files.readString(conf).equals(CONF);
    if (changed) {
      LOG.info(() -> "Enabling prepared transactions for XA: " + conf);
      run(privileged("mkdir", "-p", conf.getParent().toString()), null);
      run(privileged("tee", conf.toString()), CONF);
    }
    // pg_ctlcluster status: 0 running, 3 not running.
    boolean running = exitOf(privileged("pg_ctlcluster", version, "main", "status")) == 0;
    if (!running) {
      LOG.info(() -> "Starting PostgreSQL " + version + " (cluster main)");
      run(privileged("pg_ctlcluster", version, "main", "start"), null);
      startedHere = true;
    } else if (changed) {
      LOG.info(() -> "Restarting PostgreSQL " + version + " for max_prepared_transactions");
      run(privileged("pg_ctlcluster", version, "main", "restart"), null);
    }
    awaitPort();
  }

  /** Debian's package, non-interactively, as the browser's is in install-chromium.sh. */
  private static void install(String skipHint) throws IOException, InterruptedException {
    if (!isRoot() || !Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
      throw new IllegalStateException(
          "This needs Debian's PostgreSQL: sudo apt-get install postgresql (" + skipHint + ")");
    }
    LOG.info("Installing PostgreSQL from Debian's packages");
    Map<String, String> noninteractive = Map.of("DEBIAN_FRONTEND", "noninteractive");
    run(List.of("apt-get", "update", "-qq"), null, noninteractive);
    run(
        List.of("apt-get", "install", "-y", "-qq", "--no-install-recommends", "postgresql"),
        null,
        noninteractive);
  }

  /** The newest installed cluster "main". */
  private static String version() throws IOException {
    Path etc = Path.of("/etc/postgresql");
    try (var versions = Files.list(etc)) {
      return versions
          .filter(dir -> Files.isDirectory(dir.resolve("main")))
          .map(dir -> dir.getFileName().toString())
          .filter(name -> name.matches("\\d+"))
          .max(Comparator.comparingInt(Integer::parseInt))
          .orElseThrow(
              () ->
                  new IllegalStateException(
                      "PostgreSQL is installed but has no cluster \"main\" in "
                          + etc
                          + ": sudo pg_createcluster <version> main"));
    }
  }

  private static void awaitPort() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(HOST, PORT), 500);
        return;
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw new IOException("PostgreSQL is not listening on " + HOST + ":" + PORT, e);
        }
        Thread.sleep(200);
      }
    }
  }

  private static boolean isRoot() throws IOException {
    try {
      return "0".equals(output(List.of("id", "-u")).strip());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static List<String> privileged(String... command) throws IOException {
    List<String> full = new ArrayList<>();
    if (!isRoot()) {
      full.addAll(List.of("sudo", "-n"));
    }
    full.addAll(List.of(command));
    return full;
  }

  private static List<String> asPostgres() throws IOException {
    return isRoot()
        ? List.of("runuser", "-u", "postgres", "--")
        : List.of("sudo", "-n", "-u", "postgres");
  }

  /** Runs {@code command} with {@code input} on its standard input; a failure says what failed. */
  private static void run(List<String> command, String input)
      throws IOException, InterruptedException {
    run(command, input, Map.of());
  }

  private static void run(List<String> command, String input, Map<String, String> environment)
      throws IOException, InterruptedException {
    Path log = Files.createTempFile("waterspout-postgres-", ".log");
    try {
      // In /, which the postgres user may enter (psql warns about a directory it cannot).
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(Path.of("/").toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      builder.environment().putAll(environment);
      Process process = builder.start();
      try (OutputStream stdin = process.getOutputStream()) {
        if (input != null) {
          stdin.write(input.getBytes(StandardCharsets.UTF_8));
        }
      }
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException(String.join(" ", command) + " did not finish");
      }
      if (process.exitValue() != 0) {
        String hint =
            command.get(0).equals("sudo")
                ? "\n(not root, and sudo -n refused: run as root, or prepare PostgreSQL by hand)"
                : "";
        throw new IOException(
            String.join(" ", command)
                + " failed (exit "
                + process.exitValue()
                + "):\n"
                + Files.readString(log)
                + hint);
      }
    } finally {
      Files.deleteIfExists(log);
    }
  }

  private static int exitOf(List<String> command) throws IOException {
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      return process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static String output(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor();
    return text;
  }
}
