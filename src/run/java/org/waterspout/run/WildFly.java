package org.waterspout.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * WildFly 39 with {@code standalone-full.xml} (its embedded Artemis), configured offline by {@code
 * server-config/wildfly}'s scripts in a private copy of the {@code standalone} directory, so the
 * distribution itself stays untouched (but for the PostgreSQL driver module, which {@code
 * postgresql.cli} adds to its {@code modules}, as an admin would).
 */
public final class WildFly {

  static final int MANAGEMENT_PORT = 9990;
  static final Duration START = Duration.ofSeconds(240);

  private WildFly() {}

  /**
   * Prepares {@code base} (a fresh copy of the distribution's standalone directory) with {@code
   * install.cli} and {@code dev.cli}, adds the realm users, starts the server with {@code
   * environment} added, and waits until it has started.
   */
  public static Child start(
      Path home,
      Path base,
      Path scripts,
      Map<String, String> environment,
      List<User> users,
      LogWatch watch,
      UnaryOperator<Child> track)
      throws IOException, StartFailed, InterruptedException {
    return start(home, base, scripts, null, environment, users, watch, track);
  }

  /**
   * The same, with the history database on PostgreSQL ({@code postgresql.cli} after the other
   * scripts) unless {@code postgresql} is null. The password is not written anywhere: the
   * datasource reads it from the server's environment variable {@code WATERSPOUT_HISTORY_PASSWORD},
   * which {@code environment} (or this JVM's) must hold.
   */
  public static Child start(
      Path home,
      Path base,
      Path scripts,
      PostgresqlHistory postgresql,
      Map<String, String> environment,
      List<User> users,
      LogWatch watch,
      UnaryOperator<Child> track)
      throws IOException, StartFailed, InterruptedException {
    Waits.requireFree(MANAGEMENT_PORT, "WildFly's management interface");
    Waits.requireFree(ArtemisBroker.PORT, "WildFly's broker acceptor");
    Trees.delete(base);
    Path standalone = home.resolve("standalone");
    Files.createDirectories(base);
    Trees.copy(standalone.resolve("configuration"), base.resolve("configuration"));
    Files.createDirectories(base.resolve("deployments"));
    configure(home, base, scripts, postgresql);
    for (User user : users) {
      addUser(base, user);
    }
    return launch(home, base, environment, watch, track);
  }

  /**
   * The history on PostgreSQL: the inputs of {@code postgresql.cli}, the driver jar and the
   * database.
   */
  public record PostgresqlHistory(Path jar, Database database) {

    /** The script's inputs, as the CLI {@code set} lines it expects before it. */
    String variables() {
      return String.join(
          "\n",
          "set pgJar=" + jar,
          "set pgHost=" + database.host(),
          "set pgPort=" + database.port(),
          "set pgDatabase=" + database.name(),
          "set pgUser=" + database.user(),
          "set pgPassword=${env.WATERSPOUT_HISTORY_PASSWORD}",
          "");
    }
  }

  /**
   * Starts the server on {@code base} as it is (configured, with its deployments), with {@code
   * environment} added, and waits until it has started: {@link #start} prepared it before.
   */
  public static Child launch(
      Path home,
      Path base,
      Map<String, String> environment,
      LogWatch watch,
      UnaryOperator<Child> track)
      throws IOException, StartFailed, InterruptedException {
    Waits.requireFree(MANAGEMENT_PORT, "WildFly's management interface");
    Waits.requireFree(ArtemisBroker.PORT, "WildFly's broker acceptor");
    List<String> command =
        List.of(
            home.resolve("bin/standalone.sh").toString(),
            "-c",
            "standalone-full.xml",
            "-Djboss.server.base.dir=" + base);
    Child child =
        track.apply(
            Child.start(
                "WildFly",
                command,
                environment,
                base.resolve("wildfly.log"),
                watch.console(),
                watch));
    awaitStarted(child, watch);
    return child;
  }

  /** Deploys (or replaces) the WAR through the management interface, as an admin would. */
  public static void deploy(Path home, Path war)
      throws IOException, StartFailed, InterruptedException {
    cli(home, war.getParent(), "--connect", "--command=deploy --force " + war);
  }

  /** A realm user to add: application users sign in to the admin page; management, to JMX. */
  public record User(String name, String password, String group, boolean management) {}

  /**
   * Adds a user the way {@code add-user.sh} does, by appending to the realm's properties files,
   * without the password on a command line: {@code user=HEX(MD5(user:realm:password))}, and the
   * user's group for application users.
   */
  static void addUser(Path base, User user) throws IOException {
    Path configuration = base.resolve("configuration");
    String realm = user.management() ? "ManagementRealm" : "ApplicationRealm";
    String prefix = user.management() ? "mgmt" : "application";
    String hash = md5Hex(user.name() + ":" + realm + ":" + user.password());
    append(configuration.resolve(prefix + "-users.properties"), user.name() + "=" + hash);
    String groups = user.group() == null ? "" : user.group();
    append(
        configuration.resolve(prefix + (user.management() ? "-groups" : "-roles") + ".properties"),
        user.name() + "=" + groups);
  }

  private static void append(Path file, String line) throws IOException {
    Files.writeString(file, "\n" + line + "\n", StandardOpenOption.APPEND);
  }

  private static String md5Hex(String text) {
    try {
      MessageDigest md5 = MessageDigest.getInstance("MD5");
      return HexFormat.of().formatHex(md5.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has MD5", e);
    }
  }

  /** Checks that the history datasource reaches its database (test-connection-in-pool). */
  public static void testHistory(Path home, Path directory)
      throws IOException, StartFailed, InterruptedException {
    cli(
        home,
        directory,
        "--connect",
        "--command=/subsystem=datasources/xa-data-source=WaterSpoutHistory:test-connection-in-pool");
  }

  private static void configure(Path home, Path base, Path scripts, PostgresqlHistory postgresql)
      throws IOException, StartFailed, InterruptedException {
    Path script = base.resolve("waterspout-setup.cli");
    StringBuilder text =
        new StringBuilder("embed-server --server-config=standalone-full.xml --std-out=discard\n");
    for (String file : List.of("install.cli", "dev.cli")) {
      text.append(Files.readString(scripts.resolve(file))).append('\n');
    }
    if (postgresql != null) {
      text.append(postgresql.variables());
      text.append(Files.readString(scripts.resolve("postgresql.cli"))).append('\n');
    }
    text.append("stop-embedded-server\n");
    Files.writeString(script, text);
    Commands.run(
        List.of(home.resolve("bin/jboss-cli.sh").toString(), "--file=" + script),
        base,
        Map.of("JAVA_OPTS", "-Djboss.server.base.dir=" + base));
  }

  private static void cli(Path home, Path directory, String... arguments)
      throws IOException, StartFailed, InterruptedException {
    List<String> command = new ArrayList<>(List.of(home.resolve("bin/jboss-cli.sh").toString()));
    command.addAll(List.of(arguments));
    Commands.Result result = Commands.run(command, directory, Map.of());
    if (result.output().contains("\"outcome\" => \"failed\"")) {
      throw new StartFailed(Commands.shown(command) + " failed:\n" + result.output());
    }
  }

  private static void awaitStarted(Child child, LogWatch watch)
      throws StartFailed, InterruptedException {
    long deadline = System.nanoTime() + START.toNanos();
    while (System.nanoTime() < deadline) {
      if (!child.isAlive()) {
        throw new StartFailed("WildFly exited during start-up" + child.tail());
      }
      String started = watch.started();
      if (started != null) {
        if (started.contains("WFLYSRV0026")) {
          throw new StartFailed("WildFly started with errors" + child.tail());
        }
        return;
      }
      Thread.sleep(100);
    }
    throw new StartFailed("WildFly did not start in " + START + child.tail());
  }
}
