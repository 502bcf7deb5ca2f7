package org.waterspout.run;

import java.io.PrintStream;
import java.util.Map;

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
}
