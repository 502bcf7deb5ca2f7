package org.waterspout.it.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.waterspout.run.ArtemisBroker;
import org.waterspout.run.Launcher;
import org.waterspout.run.LoadBalancer;

/**
 * {@code mvn -Prun-cluster} as its users start it: the launcher (the same class and arguments as
 * the pom's run execution) in a process of its own, with the suite's token secret, so that a test
 * can kill what it started and see what the rest does.
 */
public final class Cluster implements AutoCloseable {

  /** How long the whole cluster may take to start on a loaded machine. */
  static final Duration START = Duration.ofMinutes(8);

  private static final String READY = "WaterSpout is ready as a cluster";

  private final Process launcher;
  private final Path log;

  private Cluster(Process launcher, Path log) {
    this.launcher = launcher;
    this.log = log;
  }

  /** Starts the cluster and returns once the launcher says it is ready. */
  public static Cluster start() throws Exception {
    Path work = Path.of(property("it.work"), "cluster-run");
    Files.createDirectories(work);
    Path log = work.resolve("launcher.log");
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                // The launcher's classes (src/run/java, compiled with the tests): the JDK's alone.
                property("it.launcher.classpath"),
                Launcher.class.getName(),
                "cluster",
                "--war=" + property("waterspout.war"),
                "--work=" + work,
                "--artemis-home=" + property("artemis.home"),
                "--broker-config=" + property("waterspout.basedir") + "/server-config/artemis",
                "--broker-ha-config="
                    + property("waterspout.basedir")
                    + "/server-config/artemis-ha",
                "--payara-micro-jar=" + property("payara.micro.jar"),
                "--postboot=" + property("payara.postboot.base"),
                "--postboot-postgresql=" + property("payara.postboot.postgresql")));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.PIPE);
    builder
        .environment()
        .putAll(
            Map.of(
                "WATERSPOUT_TOKEN_SECRET", property("waterspout.token.secret"),
                "WATERSPOUT_DEMO_ADMIN_PASSWORD", property("it.admin.password")));
    Cluster cluster = new Cluster(builder.start(), log);
    long deadline = System.nanoTime() + START.toNanos();
    while (!cluster.logText().contains(READY)) {
      if (!cluster.launcher.isAlive() || System.nanoTime() > deadline) {
        String tail = cluster.tail();
        cluster.close();
        throw new IllegalStateException("mvn -Prun-cluster did not start:\n" + tail);
      }
      Thread.sleep(500);
    }
    return cluster;
  }

  /** The Payara Micro instance listening on {@code port}, as the launcher started it. */
  public ProcessHandle instance(int port) {
    return descendant("payara-micro", "--port " + port)
        .orElseThrow(() -> new IllegalStateException("no instance on port " + port));
  }

  /** The broker of the pair in {@code role}. */
  public ProcessHandle broker(ArtemisBroker.Role role) {
    String instance = "broker-" + role.name().toLowerCase(java.util.Locale.ROOT);
    return descendant("org.apache.activemq.artemis.boot.Artemis", instance)
        .orElseThrow(() -> new IllegalStateException("no " + role + " broker"));
  }

  private Optional<ProcessHandle> descendant(String... parts) {
    return launcher
        .descendants()
        .filter(
            process -> {
              String line = commandLine(process);
              for (String part : parts) {
                if (!line.contains(part)) {
                  return false;
                }
              }
              return true;
            })
        .findFirst();
  }

  /** The whole command line (from /proc: ProcessHandle.Info cuts it short on Linux). */
  private static String commandLine(ProcessHandle process) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", String.valueOf(process.pid()), "cmdline"));
      return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ');
    } catch (IOException e) {
      return "";
    }
  }

  /** Waits until HAProxy counts every instance UP again (one restarted takes a few checks). */
  public void awaitAllUpBehindTheBalancer(Duration timeout) {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + LoadBalancer.STATS_PORT + "/;csv"))
            .timeout(Duration.ofSeconds(5))
            .build();
    Awaitility.await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(
            () ->
                LoadBalancer.up(http.send(request, HttpResponse.BodyHandlers.ofString()).body())
                    == Launcher.INSTANCE_PORTS.size());
  }

  /** Stops a process as {@code kill} (SIGTERM) does: its shutdown hooks run. */
  public static void terminate(ProcessHandle process) throws Exception {
    process.destroy();
    process.onExit().get(2, TimeUnit.MINUTES);
  }

  /** Kills a process as {@code kill -9} does: no shutdown hook, no goodbye to its peers. */
  public static void kill(ProcessHandle process) throws Exception {
    process.destroyForcibly();
    process.onExit().get(30, TimeUnit.SECONDS);
  }

  /** Whether something listens on localhost:{@code port}. */
  public static boolean listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("localhost", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** What the launcher printed. */
  public String logText() {
    try {
      return Files.readString(log, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      return "";
    }
  }

  private String tail() {
    String text = logText();
    return text.substring(Math.max(0, text.length() - 6000));
  }

  /** The processes the launcher started and that still run. */
  public List<ProcessHandle> processes() {
    return launcher.descendants().filter(ProcessHandle::isAlive).toList();
  }

  /**
   * Stops the launcher with SIGTERM, as a service manager or a CI job does, and returns the
   * processes it had started that still run once it has exited (it should leave none).
   */
  public List<ProcessHandle> stop() throws Exception {
    List<ProcessHandle> started = launcher.descendants().toList();
    launcher.destroy();
    if (!launcher.waitFor(3, TimeUnit.MINUTES)) {
      throw new IllegalStateException("the launcher did not stop in 3 minutes:\n" + tail());
    }
    return started.stream().filter(ProcessHandle::isAlive).toList();
  }

  /** Stops everything, whatever the launcher left. */
  @Override
  public void close() {
    List<ProcessHandle> started = launcher.descendants().toList();
    launcher.destroy();
    try {
      launcher.waitFor(3, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    launcher.destroyForcibly();
    started.forEach(ProcessHandle::destroyForcibly);
  }

  private static String property(String name) {
    String value = System.getProperty(name);
    if (value == null || value.isEmpty()) {
      throw new IllegalStateException("the cluster run needs -D" + name);
    }
    return value;
  }
}
