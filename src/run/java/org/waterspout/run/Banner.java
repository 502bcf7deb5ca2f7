package org.waterspout.run;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The directions printed once WaterSpout is up. */
final class Banner {

  private static final String RULE =
      "[waterspout] ======================================================================";

  private Banner() {}

  static void print(
      PrintStream out,
      String server,
      String took,
      String adminPassword,
      Map<String, String> options,
      Child app,
      Child broker) {
    String url = "http://localhost:" + Launcher.HTTP_PORT + Launcher.CONTEXT;
    boolean wildfly = server.equals("wildfly");
    out.println();
    out.println(RULE);
    out.println(
        "[waterspout] WaterSpout is ready on "
            + name(server)
            + " in demo mode after "
            + took
            + ".");
    out.println("[waterspout]   Demo page:  " + url + "  (open it in two tabs)");
    demoPages(out, url);
    out.println(
        "[waterspout]   WebSocket:  ws://localhost:"
            + Launcher.HTTP_PORT
            + Launcher.CONTEXT
            + "ws");
    out.println(
        "[waterspout]   Admin page: "
            + url
            + "admin/  (user "
            + Launcher.DEMO_ADMIN
            + ", password "
            + adminPassword
            + ")");
    out.println(
        "[waterspout]   Health:     "
            + (wildfly ? "http://localhost:9990/health" : "http://localhost:8080/health")
            + "   Metrics: "
            + url
            + "metrics");
    out.println("[waterspout]   JMX:        " + jmx(server));
    out.println(
        "[waterspout]   Broker:     "
            + (wildfly ? "WildFly's embedded Artemis" : "Artemis")
            + " on localhost:"
            + ArtemisBroker.PORT
            + " (CORE, AMQP, STOMP), queue waterspout.notifications");
    String artemis = options.get("artemis-home") + "/bin/artemis";
    out.println("[waterspout]   Send one from the shell:");
    out.println(
        "[waterspout]     "
            + artemis
            + " producer --url tcp://localhost:"
            + ArtemisBroker.PORT
            + " --destination queue://waterspout.notifications --message-count 1 --message"
            + " '{\"type\":\"demo.hello\",\"to\":{\"users\":[\"pro-42\"]},\"title\":\"Hello\"}'");
    out.println(
        "[waterspout]   Logs:       " + app.log() + (broker == null ? "" : ", " + broker.log()));
    out.println("[waterspout] Press Ctrl-C to stop" + (broker == null ? "." : " both."));
    out.println(RULE);
  }

  /** The directions of {@code mvn -Prun-cluster}. */
  static void printCluster(
      PrintStream out,
      String took,
      String adminPassword,
      Map<String, String> options,
      Database database,
      List<Integer> instancePorts,
      List<Child> processes) {
    String url = "http://localhost:" + Launcher.HTTP_PORT + Launcher.CONTEXT;
    out.println();
    out.println(RULE);
    out.println("[waterspout] WaterSpout is ready as a cluster in demo mode after " + took + ".");
    out.println("[waterspout]   Demo page:  " + url + "  (through HAProxy; open it in two tabs)");
    demoPages(out, url);
    out.println(
        "[waterspout]   WebSocket:  ws://localhost:"
            + Launcher.HTTP_PORT
            + Launcher.CONTEXT
            + "ws");
    out.println(
        "[waterspout]   Admin page: "
            + url
            + "admin/  (user "
            + Launcher.DEMO_ADMIN
            + ", password "
            + adminPassword
            + ")");
    out.println(
        "[waterspout]   Instances:  "
            + instancePorts.stream()
                .map(port -> "http://localhost:" + port + Launcher.CONTEXT)
                .collect(Collectors.joining("  "))
            + "  (health: http://localhost:PORT/health)");
    out.println(
        "[waterspout]   HAProxy:    localhost:"
            + Launcher.HTTP_PORT
            + ", statistics http://localhost:"
            + LoadBalancer.STATS_PORT
            + "/");
    out.println(
        "[waterspout]   Broker:     Artemis primary on localhost:"
            + ArtemisBroker.PORT
            + ", backup on localhost:"
            + ArtemisBroker.BACKUP_PORT
            + " (replication), queue waterspout.notifications");
    out.println("[waterspout]   History:    PostgreSQL " + database);
    String artemis = options.get("artemis-home") + "/bin/artemis";
    out.println(
        "[waterspout]   Send one from the shell (the URL follows the pair's active broker):");
    out.println(
        "[waterspout]     "
            + artemis
            + " producer --url '"
            + ArtemisBroker.PAIR_URL
            + "' --destination queue://waterspout.notifications --message-count 1 --message"
            + " '{\"type\":\"demo.hello\",\"to\":{\"users\":[\"pro-42\"]},\"title\":\"Hello\"}'");
    out.println(
        "[waterspout]   Logs:       "
            + processes.stream()
                .map(child -> child.log().toString())
                .collect(Collectors.joining(", ")));
    out.println(
        "[waterspout] A process that dies is started again. Press Ctrl-C to stop all of them.");
    out.println(RULE);
  }

  private static String name(String server) {
    return switch (server) {
      case "payara-micro" -> "Payara Micro";
      case "payara-server" -> "Payara Server (admin console http://localhost:4848)";
      default -> "WildFly (admin console http://localhost:9990, user " + Launcher.DEMO_ADMIN + ")";
    };
  }

  private static String jmx(String server) {
    return switch (server) {
      case "payara-micro" -> "jconsole, local process \"payara-micro.jar\": org.waterspout";
      case "payara-server" ->
          "jconsole service:jmx:rmi:///jndi/rmi://localhost:8686/jmxrmi (user admin, no password)";
      default ->
          "$WILDFLY_HOME/bin/jconsole.sh service:jmx:remote+http://localhost:9990 (user "
              + Launcher.DEMO_ADMIN
              + ")";
    };
  }

  /** The demo pages beside the test form. */
  private static void demoPages(PrintStream out, String url) {
    out.println(
        "[waterspout]   Pages:      "
            + url
            + "inbox.html (a pro's inbox), dispatch.html (the order system), compare.html"
            + " (WebSocket, SSE, polling side by side)");
  }
}
