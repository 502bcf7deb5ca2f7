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
 * Central with the instance configuration of {@code server-config/artemis}, on localhost:61616.
 */
public final class ArtemisBroker {

  public static final int PORT = 61616;
  static final Duration START = Duration.ofSeconds(60);

  private ArtemisBroker() {}

  /**
   * Starts a broker whose instance lives in {@code instance} (emptied first when {@code fresh}) and
   * waits until it listens.
   */
  public static Child start(
      Path artemisHome, Path instance, Path config, boolean fresh, PrintStream console)
      throws IOException, StartFailed, InterruptedException {
    Waits.requireFree(PORT, "the broker");
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
    Child broker =
        Child.start(
            "Artemis broker",
            command,
            Map.of(),
            instance.resolve("broker.log"),
            console,
            line -> false);
    Waits.forPort(broker, PORT, START);
    return broker;
  }
}
