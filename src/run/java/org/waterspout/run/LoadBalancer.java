package org.waterspout.run;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * HAProxy (Debian's package) in front of the instances of {@code mvn -Prun-cluster}: one port for
 * HTTP and WebSocket, each new connection to the instance with the fewest, an instance taken out
 * while its readiness check fails, and a connection refused by a dead instance tried on another.
 */
public final class LoadBalancer {

  static final Path HAPROXY = Path.of("/usr/sbin/haproxy");

  /** HAProxy's statistics page, on loopback. */
  public static final int STATS_PORT = 8404;

  private LoadBalancer() {}

  /**
   * The configuration: WebSocket tunnels may stay idle for an hour (the server's heartbeat, every
   * 25 s by default, crosses them long before); a backend checked every 2 s on each of {@code
   * checks} (all must answer 200), out after 3 failures, in after 2 successes; a request that an
   * instance refuses, or answers 404 or 503, is tried again on another (a WebSocket handshake is a
   * GET without a body, which HAProxy can send again).
   */
  static String config(int port, List<Integer> backends, List<String> checks, long maxconn) {
    StringBuilder check = new StringBuilder("    option httpchk\n");
    for (String uri : checks) {
      // Each check on a connection of its own; all must answer 200.
      check
          .append("    http-check connect\n")
          .append("    http-check send meth GET uri ")
          .append(uri)
          .append("\n")
          .append("    http-check expect status 200\n");
    }
    StringBuilder servers = new StringBuilder();
    for (int i = 0; i < backends.size(); i++) {
      servers
          .append("    server instance-")
          .append(i + 1)
          .append(" 127.0.0.1:")
          .append(backends.get(i))
          .append(" check inter 2s fall 3 rise 2\n");
    }
    return String.join(
            "\n",
            "# Written by WaterSpout's launcher (mvn -Prun-cluster) for each run.",
            "global",
            "    # Each proxied connection holds two descriptors: the browser's and the instance's.",
            "    maxconn " + maxconn,
            "defaults",
            "    mode http",
            "    option forwardfor",
            "    # A connection refused, or a handshake answered 404 or 503 by an instance on its way",
            "    # down (503 while it stops, 404 once its application is gone, before its port",
            "    # closes) or up (404 before the WAR is deployed), is tried again on another instance.",
            "    option redispatch 1",
            "    retries 3",
            "    retry-on conn-failure empty-response 404 503",
            "    timeout connect 2s",
            "    timeout client 60s",
            "    timeout server 60s",
            "    timeout http-request 10s",
            "    # A WebSocket, once upgraded, is a tunnel: idle up to an hour (heartbeats cross it).",
            "    timeout tunnel 1h",
            "    timeout client-fin 5s",
            "frontend waterspout",
            "    bind 127.0.0.1:" + port,
            "    default_backend instances",
            "backend instances",
            "    balance leastconn",
            "    # Only a GET (a handshake, a page) is sent again: never a POST (a demo send, an",
            "    # announcement) that an instance may have acted on before it went away.",
            "    http-request disable-l7-retry unless METH_GET",
            check.toString().stripTrailing(),
            "    # A busy instance (one starting, or a loaded machine) may take a while to answer.",
            "    timeout check 5s",
            servers.toString().stripTrailing(),
            "frontend stats",
            "    bind 127.0.0.1:" + STATS_PORT,
            "    stats enable",
            "    stats uri /",
            "    stats refresh 2s",
            "")
        + "\n";
  }

  /**
   * As many connections as the open-file limit HAProxy inherits allows (it refuses to start when
   * its maxconn needs more): two descriptors each, less a margin for its own files and checks.
   */
  static long maxConnections(long openFiles) {
    return Math.max(256, (openFiles - 256) / 2);
  }

  /** This process's soft limit on open files (HAProxy inherits it), from /proc/self/limits. */
  static long openFileLimit() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
      if (line.startsWith("Max open files")) {
        String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
        return "unlimited".equals(soft) ? 1_000_000 : Long.parseLong(soft);
      }
    }
    return 1024;
  }

  /**
   * Waits until HAProxy counts every instance UP, as its statistics say: at start-up each one
   * begins one failed check away from DOWN, and an instance that answers its first check late is
   * out for a few seconds, during which every new connection would go to the other.
   */
  public static void awaitAllUp(Child haproxy, int instances, Duration timeout)
      throws StartFailed, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + STATS_PORT + "/;csv"))
            .timeout(Duration.ofSeconds(5))
            .build();
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      Waits.requireAlive(haproxy);
      try {
        last = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
        if (up(last) == instances) {
          return;
        }
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(500);
    }
    throw new StartFailed(
        "HAProxy did not count all "
            + instances
            + " instances UP in "
            + timeout
            + "; its statistics said:\n"
            + last
            + haproxy.tail());
  }

  /** How many servers of the backend are UP in HAProxy's CSV statistics. */
  public static long up(String csv) {
    return csv.lines()
        .map(line -> line.split(",", -1))
        .filter(f -> f.length > 17 && f[0].equals("instances") && f[1].startsWith("instance-"))
        .filter(f -> f[17].equals("UP"))
        .count();
  }

  /** Installs HAProxy when it is missing (as root, with apt-get), or says how. */
  static void install(PrintStream out) throws IOException, InterruptedException, StartFailed {
    if (Files.isExecutable(HAPROXY)) {
      return;
    }
    boolean root = "root".equals(System.getProperty("user.name"));
    if (!root || !Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
      throw new StartFailed(
          "mvn -Prun-cluster needs HAProxy, Debian's package: sudo apt-get install haproxy");
    }
    out.println("[waterspout] Installing HAProxy from Debian's packages");
    Map<String, String> noninteractive = Map.of("DEBIAN_FRONTEND", "noninteractive");
    for (List<String> command :
        List.of(
            List.of("apt-get", "update", "-qq"),
            List.of("apt-get", "install", "-y", "-qq", "--no-install-recommends", "haproxy"))) {
      ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
      builder.environment().putAll(noninteractive);
      Process process = builder.start();
      if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new StartFailed(String.join(" ", command) + " failed: install HAProxy by hand");
      }
    }
    // Debian may start the packaged service (on port 80); ours is a process of its own.
    try {
      new ProcessBuilder("service", "haproxy", "stop")
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start()
          .waitFor(30, TimeUnit.SECONDS);
    } catch (IOException e) {
      // No service command: nothing was started either.
    }
  }

  /** Starts HAProxy in the foreground with the configuration written to {@code dir}. */
  public static Child start(
      Path dir, int port, List<Integer> backends, List<String> checks, PrintStream console)
      throws IOException, InterruptedException, StartFailed {
    install(console);
    Waits.requireFree(port, "the load balancer");
    Files.createDirectories(dir);
    Path cfg = dir.resolve("haproxy.cfg");
    Files.writeString(cfg, config(port, backends, checks, maxConnections(openFileLimit())));
    List<String> command =
        new ArrayList<>(List.of(HAPROXY.toString(), "-db", "-f", cfg.toString()));
    Child haproxy =
        Child.start(
            "HAProxy", command, Map.of(), dir.resolve("haproxy.log"), console, line -> false);
    Waits.forPort(haproxy, port, ArtemisBroker.START);
    return haproxy;
  }
}
