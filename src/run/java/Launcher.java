import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Starts WaterSpout's embedded default for a developer: a real Artemis broker and Payara Micro with
 * the resource adapter and the WAR. Run by Maven ({@code mvn -Prun}, or the integration tests'
 * broker); a single-file Java program with no dependencies, so it needs no build of its own.
 *
 * <pre>
 * java Launcher.java broker --artemis-home=DIR --instance=DIR --config=DIR [--fresh]
 * java Launcher.java await  --instance=DIR
 * java Launcher.java run    --artemis-home=DIR --instance=DIR --config=DIR
 *                           --payara-jar=FILE --postboot=FILE --war=FILE --work=DIR
 * </pre>
 *
 * Both stay in the foreground until interrupted (Ctrl-C or SIGTERM), then stop Payara first and the
 * broker after it, each waited for.
 */
public final class Launcher {

  static final int HTTP_PORT = 8080;
  static final int BROKER_PORT = 61616;
  static final String CONTEXT = "/waterspout/";
  static final Duration BROKER_START = Duration.ofSeconds(60);
  static final Duration PAYARA_START = Duration.ofSeconds(240);
  static final Duration STOP = Duration.ofSeconds(30);

  private final Map<String, String> options;
  private final PrintStream out = System.out;
  private final List<Child> children = new ArrayList<>();
  private final long started = System.nanoTime();
  private volatile boolean stopping;
  private volatile String deploymentFailure;
  private static volatile boolean failing;

  private Launcher(Map<String, String> options) {
    this.options = options;
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || !List.of("broker", "await", "run").contains(args[0])) {
      System.err.println("usage: java Launcher.java broker|await|run --option=value ...");
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
    try {
      int code =
          switch (args[0]) {
            case "broker" -> launcher.broker();
            case "await" -> launcher.awaitBroker();
            default -> launcher.run();
          };
      System.exit(code);
    } catch (StartFailed e) {
      failing = true;
      System.err.println();
      System.err.println("[waterspout] " + e.getMessage());
      System.exit(1);
    }
  }

  /** The broker alone, for the integration tests. */
  private int broker() throws Exception {
    Path failed = path("instance").resolve("start-failed");
    Child broker;
    try {
      broker = startBroker();
      waitForPort(broker, BROKER_PORT, BROKER_START);
    } catch (StartFailed e) {
      Files.writeString(failed, e.getMessage());
      throw e;
    }
    say("Artemis broker ready on localhost:" + BROKER_PORT + " (log: " + broker.log + ")");
    return broker.process.waitFor();
  }

  /**
   * Waits until the broker that {@code broker} mode started in the background listens, so a broker
   * that cannot start fails the build here, with its log, rather than every test later.
   */
  private int awaitBroker() throws Exception {
    Path log = path("instance").resolve("broker.log");
    // A log left by an earlier run does not count: this broker writes after we started waiting.
    long since = System.currentTimeMillis() - 2000;
    long deadline = System.nanoTime() + BROKER_START.toNanos();
    Path failed = path("instance").resolve("start-failed");
    while (System.nanoTime() < deadline) {
      if (Files.exists(failed) && Files.getLastModifiedTime(failed).toMillis() >= since) {
        throw new StartFailed(Files.readString(failed));
      }
      if (Files.exists(log)
          && Files.getLastModifiedTime(log).toMillis() >= since
          && Files.readString(log).contains("AMQ221007")) {
        say("Artemis broker is active on localhost:" + BROKER_PORT);
        return 0;
      }
      Thread.sleep(200);
    }
    throw new StartFailed(
        "The broker did not start in " + BROKER_START + tail(new Child("broker", null, log)));
  }

  /** Broker, Payara Micro with the RAR and the WAR in demo mode, and directions for the user. */
  private int run() throws Exception {
    requireFree(HTTP_PORT, "HTTP (Payara Micro)");
    // Both at once: the resource adapter retries until the broker listens, and Payara's own
    // start-up takes longer than the broker's anyway.
    Child broker = startBroker();
    Child payara = startPayara();
    waitForPort(broker, BROKER_PORT, BROKER_START);
    say("Artemis broker ready on localhost:" + BROKER_PORT + " (" + seconds() + ")");
    waitForHttp(payara, "http://localhost:" + HTTP_PORT + CONTEXT);
    banner(broker, payara);
    while (true) {
      for (Child child : List.of(broker, payara)) {
        if (!child.process.isAlive() && !stopping) {
          throw new StartFailed(child.name + " stopped unexpectedly" + tail(child));
        }
      }
      Thread.sleep(1000);
    }
  }

  /** Starts the broker; callers wait for its port. */
  private Child startBroker() throws Exception {
    requireFree(BROKER_PORT, "the broker");
    Path home = path("artemis-home");
    Path instance = path("instance");
    if (options.containsKey("fresh")) {
      deleteTree(instance);
    }
    Path etc = instance.resolve("etc");
    Files.createDirectories(etc);
    Files.createDirectories(instance.resolve("tmp"));
    try (Stream<Path> files = Files.list(path("config"))) {
      for (Path file : files.toList()) {
        Files.copy(file, etc.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    List<String> command =
        List.of(
            java(),
            "-Xms64m",
            "-Xmx512m",
            "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED",
            "-Dlog4j2.disableJmx=true",
            "-Dartemis.home=" + home,
            "-Dartemis.instance=" + instance,
            "-Dartemis.instance.etc=" + etc,
            "-Djava.security.auth.login.config=" + etc.resolve("login.config"),
            "-Dlog4j2.configurationFile=" + etc.resolve("log4j2.properties").toUri(),
            "-Djava.io.tmpdir=" + instance.resolve("tmp"),
            "-cp",
            home.resolve("lib/artemis-boot.jar").toString(),
            "org.apache.activemq.artemis.boot.Artemis",
            "run");
    return start("Artemis broker", command, instance.resolve("broker.log"), line -> false);
  }

  private Child startPayara() throws IOException {
    Path work = path("work");
    Path tmp = work.resolve("payara-tmp");
    deleteTree(tmp);
    Files.createDirectories(tmp);
    List<String> command =
        List.of(
            java(),
            "-Xmx512m",
            "-Djava.io.tmpdir=" + tmp,
            "-Dwaterspout.demo.enabled=true",
            "-jar",
            path("payara-jar").toString(),
            "--nocluster",
            "--port",
            String.valueOf(HTTP_PORT),
            "--postbootcommandfile",
            path("postboot").toString(),
            "--deploy",
            path("war").toString());
    // Echo WaterSpout's own log lines and errors; the whole log goes to the file.
    Predicate<String> echo =
        line -> {
          if (line.contains("Exception while loading the app")) {
            deploymentFailure = line;
          }
          return line.contains("org.waterspout") || line.contains("SEVERE");
        };
    return start("Payara Micro", command, work.resolve("payara.log"), echo);
  }

  private void banner(Child broker, Child payara) {
    String url = "http://localhost:" + HTTP_PORT + CONTEXT;
    String artemis = path("artemis-home").resolve("bin/artemis").toString();
    out.println();
    out.println(
        "[waterspout] ======================================================================");
    out.println("[waterspout] WaterSpout is ready in demo mode after " + seconds() + ".");
    out.println("[waterspout]   Demo page: " + url + "  (open it in two tabs)");
    out.println("[waterspout]   WebSocket: ws://localhost:" + HTTP_PORT + CONTEXT + "ws");
    out.println(
        "[waterspout]   Broker:    Artemis on localhost:"
            + BROKER_PORT
            + " (CORE, AMQP, STOMP), queue waterspout.notifications");
    out.println("[waterspout]   Send one from the shell:");
    out.println(
        "[waterspout]     "
            + artemis
            + " producer --url tcp://localhost:"
            + BROKER_PORT
            + " --destination queue://waterspout.notifications --message-count 1 --message"
            + " '{\"type\":\"demo.hello\",\"to\":{\"users\":[\"pro-42\"]},\"title\":\"Hello\"}'");
    out.println("[waterspout]   Logs:      " + payara.log + ", " + broker.log);
    out.println("[waterspout] Press Ctrl-C to stop both.");
    out.println(
        "[waterspout] ======================================================================");
  }

  private Child start(String name, List<String> command, Path log, Predicate<String> echo)
      throws IOException {
    Files.createDirectories(log.getParent());
    List<String> full = new ArrayList<>();
    // Own session: Ctrl-C reaches only this launcher, which then stops Payara before the broker.
    if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
      full.add("/usr/bin/setsid");
    }
    full.addAll(command);
    Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
    Child child = new Child(name, process, log);
    synchronized (children) {
      children.add(child);
    }
    Thread pump = new Thread(() -> pump(process.getInputStream(), log, echo), name + " log");
    pump.setDaemon(true);
    pump.start();
    return child;
  }

  private void pump(InputStream input, Path log, Predicate<String> echo) {
    try (BufferedReader reader =
            new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8));
        Writer writer = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
      String line;
      while ((line = reader.readLine()) != null) {
        writer.write(line);
        writer.write(System.lineSeparator());
        writer.flush();
        if (echo.test(line)) {
          out.println(line);
        }
      }
    } catch (IOException e) {
      // The child is gone; its exit is reported by whoever waits for it.
    }
  }

  private void stopAll() {
    stopping = true;
    List<Child> running;
    synchronized (children) {
      running = new ArrayList<>(children);
    }
    PrintStream console = console();
    // Last started first: Payara before the broker it depends on.
    for (int i = running.size() - 1; i >= 0; i--) {
      Child child = running.get(i);
      if (!child.process.isAlive()) {
        continue;
      }
      console.println("[waterspout] Stopping " + child.name + " ...");
      child.process.destroy();
      try {
        if (!child.process.waitFor(STOP.toSeconds(), TimeUnit.SECONDS)) {
          console.println(
              "[waterspout] " + child.name + " did not stop in " + STOP + "; killing it");
          child.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        child.process.destroyForcibly();
      }
      console.println("[waterspout] " + child.name + " stopped.");
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

  private void waitForPort(Child child, int port, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!child.process.isAlive()) {
        throw new StartFailed(child.name + " exited during start-up" + tail(child));
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("localhost", port), 500);
        return;
      } catch (ConnectException e) {
        Thread.sleep(200);
      }
    }
    throw new StartFailed(
        child.name + " did not open port " + port + " in " + timeout + tail(child));
  }

  private void waitForHttp(Child child, String url) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build();
    long deadline = System.nanoTime() + PAYARA_START.toNanos();
    while (System.nanoTime() < deadline) {
      if (!child.process.isAlive()) {
        throw new StartFailed(child.name + " exited during start-up" + tail(child));
      }
      if (deploymentFailure != null) {
        throw new StartFailed(
            "WaterSpout could not be deployed; the reason is in the lines above and in "
                + child.log);
      }
      try {
        if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // Not listening yet.
      }
      Thread.sleep(250);
    }
    throw new StartFailed(
        child.name + " did not serve " + url + " in " + PAYARA_START + tail(child));
  }

  private static void requireFree(int port, String what) throws StartFailed {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("localhost", port), 500);
    } catch (IOException e) {
      return;
    }
    throw new StartFailed(
        "Port "
            + port
            + " for "
            + what
            + " is already in use. Is another WaterSpout (mvn -Prun or the tests) still running?"
            + " Find it with: ss -ltnp 'sport = :"
            + port
            + "'");
  }

  private static String tail(Child child) {
    try {
      List<String> lines = Files.readAllLines(child.log, StandardCharsets.UTF_8);
      List<String> last = lines.subList(Math.max(0, lines.size() - 30), lines.size());
      return "\n--- last lines of " + child.log + " ---\n" + String.join("\n", last);
    } catch (IOException e) {
      return " (no log at " + child.log + ")";
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private Path path(String option) {
    String value = options.get(option);
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("missing --" + option + "=...");
    }
    return Path.of(value).toAbsolutePath().normalize();
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private String seconds() {
    return String.format("%.1f s", (System.nanoTime() - started) / 1e9);
  }

  private void say(String message) {
    out.println("[waterspout] " + message);
  }

  private record Child(String name, Process process, Path log) {}

  private static final class StartFailed extends Exception {
    private static final long serialVersionUID = 1L;

    StartFailed(String message) {
      super(message);
    }
  }
}
