package org.waterspout.run;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The Artemis broker that Payara Micro and Payara Server use: the 2.40.0 distribution from Maven
 * Central with the instance configuration of {@code server-config/artemis}, on localhost:61616; for
 * {@code mvn -Prun-cluster}, a primary/backup pair with replication on 61616 and 61617 ({@code
 * server-config/artemis-ha} adds what makes each one of the pair).
 */
public final class ArtemisBroker {

  public static final int PORT = 61616;
  public static final int BACKUP_PORT = 61617;

  /** The URL a producer of the order system uses with the pair: it follows the active one. */
  public static final String PAIR_URL =
      "(tcp://localhost:"
          + PORT
          + ",tcp://localhost:"
          + BACKUP_PORT
          + ")?ha=true&reconnectAttempts=-1";

  static final Duration START = Duration.ofSeconds(60);

  /** Which one of the pair. */
  public enum Role {
    PRIMARY(PORT, "primary.xml", "Artemis primary"),
    BACKUP(BACKUP_PORT, "backup.xml", "Artemis backup");

    final int port;
    final String fragment;
    final String title;

    Role(int port, String fragment, String title) {
      this.port = port;
      this.fragment = fragment;
      this.title = title;
    }

    public int port() {
      return port;
    }
  }

  private ArtemisBroker() {}

  /**
   * Starts a broker whose instance lives in {@code instance} (emptied first when {@code fresh}) and
   * waits until it listens.
   */
  public static Child start(
      Path artemisHome, Path instance, Path config, boolean fresh, PrintStream console)
      throws IOException, StartFailed, InterruptedException {
    Waits.requireFree(PORT, "the broker");
    Child broker = launch("Artemis broker", artemisHome, prepare(instance, config, fresh), console);
    Waits.forPort(broker, PORT, START);
    return broker;
  }

  /**
   * Starts one broker of the pair, its instance in {@code instance} (the journal kept), with the
   * {@code haConfig} fragment of its role and the pair's {@code clusterPassword}. Returns once the
   * primary listens, or once the backup has copied the active broker's journal (a passive backup
   * opens no port); a primary started again after a failover listens once it has taken over again.
   */
  public static Child startInPair(
      Path artemisHome,
      Path instance,
      Path config,
      Path haConfig,
      Role role,
      String clusterPassword,
      PrintStream console)
      throws IOException, StartFailed, InterruptedException {
    Waits.requireFree(role.port, "the " + role.title);
    Path etc = prepare(instance, config, false);
    Path brokerXml = etc.resolve("broker.xml");
    String xml = Files.readString(brokerXml);
    String fragment =
        Files.readString(haConfig.resolve(role.fragment))
            .replace("@cluster-password@", clusterPassword);
    String paired =
        xml.replace("tcp://localhost:" + PORT + "?", "tcp://localhost:" + role.port + "?")
            .replace(
                "<name>waterspout</name>",
                "<name>waterspout-" + role.name().toLowerCase(java.util.Locale.ROOT) + "</name>")
            .replace("</core>", fragment + "   </core>");
    if (paired.equals(xml) || !paired.contains("localhost:" + role.port + "?")) {
      throw new StartFailed("Could not make " + brokerXml + " the " + role.title + "'s");
    }
    // It holds the cluster password: readable by its owner only.
    Files.delete(brokerXml);
    Trees.writePrivate(brokerXml, paired);
    Child broker = launch(role.title, artemisHome, etc, console);
    if (role == Role.PRIMARY) {
      Waits.forPort(broker, role.port, START);
    } else {
      // AMQ221024: "Backup server ... is synchronized with primary server".
      Waits.forLog(broker, "AMQ221024", START);
    }
    return broker;
  }

  /** The instance's etc directory, with the configuration copied in. */
  private static Path prepare(Path instance, Path config, boolean fresh) throws IOException {
    if (fresh) {
      Trees.delete(instance);
    }
    Path etc = instance.resolve("etc");
    Files.createDirectories(etc);
    Files.createDirectories(instance.resolve("tmp"));
    try (Stream<Path> files = Files.list(config)) {
      for (Path file : files.toList()) {
        Files.copy(file, etc.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return etc;
  }

  private static Child launch(String name, Path artemisHome, Path etc, PrintStream console)
      throws IOException {
    Path instance = etc.getParent();
    List<String> command =
        List.of(
            Launcher.java(),
            "-Xms64m",
            "-Xmx512m",
            "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED",
            "-Dlog4j2.disableJmx=true",
            "-Dartemis.home=" + artemisHome,
            "-Dartemis.instance=" + instance,
            "-Dartemis.instance.etc=" + etc,
            "-Djava.security.auth.login.config=" + etc.resolve("login.config"),
            "-Dlog4j2.configurationFile=" + etc.resolve("log4j2.properties").toUri(),
            "-Djava.io.tmpdir=" + instance.resolve("tmp"),
            "-cp",
            artemisHome.resolve("lib/artemis-boot.jar").toString(),
            "org.apache.activemq.artemis.boot.Artemis",
            "run");
    return Child.start(
        name, command, Map.of(), instance.resolve("broker.log"), console, line -> false);
  }
}
