package org.waterspout.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Payara Server 6 domain set up the way an admin would with {@code
 * server-config/payara-server/waterspout.asadmin}: the Artemis resource adapter (the broker runs as
 * its own process, as with Payara Micro), the JMS resources, WaterSpout's settings and the admin
 * page's user.
 */
public final class PayaraServer {

  /** The domain name; its ports are the defaults (admin 4848, HTTP 8080, JMX 8686). */
  public static final String DOMAIN = "waterspout";

  static final int ADMIN_PORT = 4848;
  static final Duration START = Duration.ofSeconds(240);

  private final Path home;
  private final Path domains;
  private final Child child;

  private PayaraServer(Path home, Path domains, Child child) {
    this.home = home;
    this.domains = domains;
    this.child = child;
  }

  /**
   * Starts a fresh domain in {@code domains} (a copy of the distribution's domain1, much faster
   * than create-domain), with {@code environment} added to the server's, and waits for its admin
   * port.
   */
  public static PayaraServer start(
      Path home, Path domains, Map<String, String> environment, LogWatch watch)
      throws IOException, StartFailed, InterruptedException {
    Waits.requireFree(ADMIN_PORT, "Payara Server's admin listener");
    Path domain = domains.resolve(DOMAIN);
    Trees.delete(domain);
    Trees.copy(home.resolve("glassfish/domains/domain1"), domain);
    return launch(home, domains, environment, watch);
  }

  /**
   * Starts the domain in {@code domains} as it is (configured, with its applications), with {@code
   * environment} added to the server's, and waits for its admin port: {@link #start} did the rest
   * before.
   */
  public static PayaraServer launch(
      Path home, Path domains, Map<String, String> environment, LogWatch watch)
      throws IOException, StartFailed, InterruptedException {
    Waits.requireFree(ADMIN_PORT, "Payara Server's admin listener");
    List<String> command =
        List.of(
            asadmin(home), "start-domain", "--verbose", "--domaindir", domains.toString(), DOMAIN);
    Child child =
        Child.start(
            "Payara Server",
            command,
            environment,
            domains.resolve("payara-server.log"),
            watch.console(),
            watch);
    Waits.forPort(child, ADMIN_PORT, START);
    PayaraServer server = new PayaraServer(home, domains, child);
    // The admin listener opens before the admin commands are ready; version answers once they are.
    server.asadmin(domains, "version");
    return server;
  }

  public Child child() {
    return child;
  }

  /**
   * Stops the domain the way an admin does (stop-domain: applications stopped, pools closed), and
   * whatever of its process tree is left after that.
   */
  public void stop() throws IOException, StartFailed, InterruptedException {
    if (child.isAlive()) {
      Commands.attempt(
          List.of(asadmin(home), "stop-domain", "--domaindir", domains.toString(), DOMAIN),
          domains,
          Map.of());
    }
    child.stop();
  }

  /**
   * Runs {@code waterspout.asadmin} (and {@code waterspout-demo.asadmin} when {@code demo}) from
   * {@code scripts}, in a private directory holding the resource adapter and the passwords file the
   * script names. The token secret stored is random: in demo mode and in the tests, environment
   * variables or demo mode decide.
   */
  public void configure(Path scripts, Path rar, String adminPassword, boolean demo)
      throws IOException, StartFailed, InterruptedException {
    Path stage = Files.createTempDirectory("waterspout-payara-");
    try {
      Files.createSymbolicLink(stage.resolve("artemis-jakarta-ra.rar"), rar);
      Trees.writePrivate(
          stage.resolve("waterspout.passwords"),
          "AS_ADMIN_ALIASPASSWORD="
              + Launcher.password()
              + Launcher.password()
              + "\nAS_ADMIN_USERPASSWORD="
              + adminPassword
              + "\n");
      multimode(stage, scripts.resolve("waterspout.asadmin"));
      if (demo) {
        multimode(stage, scripts.resolve("waterspout-demo.asadmin"));
      }
    } finally {
      Trees.delete(stage);
    }
  }

  /**
   * Moves the history database to PostgreSQL with {@code waterspout-postgresql.asadmin} from {@code
   * scripts}: the connection's settings as the server's system properties the script's pool refers
   * to, then the script, in a private directory holding the driver and the passwords file it names.
   */
  public void usePostgresql(Path scripts, Path driver, Database database)
      throws IOException, StartFailed, InterruptedException {
    asadmin(domains, "create-system-properties", database.payaraSystemProperties());
    Path stage = Files.createTempDirectory("waterspout-payara-");
    try {
      Files.createSymbolicLink(stage.resolve("postgresql.jar"), driver);
      Trees.writePrivate(
          stage.resolve("waterspout-history.passwords"),
          "AS_ADMIN_ALIASPASSWORD=" + database.password() + "\n");
      multimode(stage, scripts.resolve("waterspout-postgresql.asadmin"));
    } finally {
      Trees.delete(stage);
    }
  }

  /** Checks that the history pool reaches its database (ping-connection-pool). */
  public void pingHistory() throws IOException, StartFailed, InterruptedException {
    asadmin(domains, "ping-connection-pool", "waterspout-history");
  }

  /** Adds a file-realm user in {@code group}. */
  public void addUser(String user, String password, String group)
      throws IOException, StartFailed, InterruptedException {
    Path stage = Files.createTempDirectory("waterspout-payara-");
    try {
      Path file = stage.resolve("user.passwords");
      Trees.writePrivate(file, "AS_ADMIN_USERPASSWORD=" + password + "\n");
      // --passwordfile is an option of asadmin itself, so it comes before the command.
      Commands.run(
          List.of(
              asadmin(home),
              "--port",
              "" + ADMIN_PORT,
              "--passwordfile",
              file.toString(),
              "create-file-user",
              "--groups",
              group,
              user),
          stage,
          Map.of());
    } finally {
      Trees.delete(stage);
    }
  }

  public void deploy(Path war) throws IOException, StartFailed, InterruptedException {
    asadmin(
        war.getParent(),
        "deploy",
        "--force=true",
        "--name",
        "waterspout",
        "--contextroot",
        "waterspout",
        war.toString());
  }

  private void multimode(Path directory, Path file)
      throws IOException, StartFailed, InterruptedException {
    Commands.Result result = asadmin(directory, "multimode", "--file", file.toString());
    // multimode goes on after a failed command and still exits 0.
    if (result.output().contains("failed")) {
      throw new StartFailed(file + " failed:\n" + result.output());
    }
  }

  private Commands.Result asadmin(Path directory, String... arguments)
      throws IOException, StartFailed, InterruptedException {
    List<String> command = new ArrayList<>(List.of(asadmin(home), "--port", "" + ADMIN_PORT));
    command.addAll(List.of(arguments));
    return Commands.run(command, directory, Map.of());
  }

  private static String asadmin(Path home) {
    return home.resolve("bin/asadmin").toString();
  }
}
