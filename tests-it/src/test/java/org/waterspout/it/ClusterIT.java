package org.waterspout.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.waterspout.it.DeliveryIT.unique;

import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.Message;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.waterspout.it.support.Cluster;
import org.waterspout.it.support.MessageBody;
import org.waterspout.it.support.OrderSystem;
import org.waterspout.it.support.Tokens;
import org.waterspout.it.support.WsClient;
import org.waterspout.run.ArtemisBroker;
import org.waterspout.run.Launcher;

/**
 * {@code mvn -Prun-cluster} under faults, with real processes: two Payara Micro instances behind
 * HAProxy on 8080, an Artemis primary/backup pair, PostgreSQL. An instance killed with {@code kill
 * -9} while clients are connected, and one stopped with SIGTERM (its sessions closed with 1001);
 * the primary broker killed while the order system sends; and every process stopped by one SIGTERM
 * to the launcher. Clients connect through the load balancer only, as browsers do, and resume from
 * their cursor when their line breaks, as waterspout.js does. Runs once per suite, in its own
 * failsafe execution (it-cluster), after the six server runs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

  /** An AMQP producer's failover URL for the pair (Qpid JMS). */
  private static final String AMQP_PAIR_URL =
      "failover:(amqp://localhost:"
          + ArtemisBroker.PORT
          + ",amqp://localhost:"
          + ArtemisBroker.BACKUP_PORT
          + ")?failover.maxReconnectAttempts=-1";

  /** How long a process the launcher restarts may take to be back. */
  private static final Duration BACK = Duration.ofMinutes(4);

  private static Cluster cluster;
  private static OrderSystem orderSystem;

  @BeforeAll
  static void startCluster() throws Exception {
    long began = System.nanoTime();
    cluster = Cluster.start();
    System.out.printf("[ClusterIT] cluster started in %.1f s%n", (System.nanoTime() - began) / 1e9);
    // The order system's producer with the pair's failover URL (broker.url of this execution).
    orderSystem = new OrderSystem();
  }

  @AfterAll
  static void stopCluster() {
    if (orderSystem != null) {
      orderSystem.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  /** A user of the test, connected through the load balancer, who resumes from its cursor. */
  private static final class Pro implements AutoCloseable {
    final String user = unique("pro");
    final String token = Tokens.valid(user);
    final List<String> seen = new ArrayList<>();
    long seq;
    WsClient client;
    int reconnects;
    int handshakesRefused;

    /** How each broken line was closed, in order. */
    final List<WsClient.Closed> closes = new ArrayList<>();

    /** When the first broken line closed, and when its reconnect was welcomed (nanoTime). */
    long firstClosedAt;

    long firstWelcomedAt;

    Pro() throws Exception {
      client = WsClient.signedIn(token);
    }

    /**
     * Takes what comes, up to {@code marker}: every notification id, in order. A line that broke
     * (once its last frames are taken) is signed in again, and resumed.
     */
    void readUntil(String marker) throws Exception {
      long deadline = System.nanoTime() + WsClient.WAIT.toNanos();
      while (true) {
        JsonObject frame = client.poll(Duration.ofMillis(200));
        if (frame == null) {
          if (client.isClosed() && client.pending() == 0) {
            reconnect();
            deadline = System.nanoTime() + WsClient.WAIT.toNanos();
          } else if (System.nanoTime() > deadline) {
            throw new AssertionError(user + " got no " + marker + "; saw " + seen);
          }
          continue;
        }
        if (!"notification".equals(frame.getString("op"))) {
          continue;
        }
        seq = Math.max(seq, frame.getJsonNumber("seq").longValue());
        String id = frame.getString("id");
        seen.add(id);
        if (id.equals(marker)) {
          return;
        }
      }
    }

    /** Signs in again through the load balancer and resumes after the last number seen. */
    void reconnect() throws Exception {
      reconnects++;
      closes.add(client.awaitClose(Duration.ZERO));
      if (firstClosedAt == 0) {
        firstClosedAt = client.closedAt();
      }
      client.close();
      // As waterspout.js does: a handshake refused (an instance on its way up or down) is tried
      // again after a pause.
      long deadline = System.nanoTime() + WsClient.WAIT.toNanos();
      while (true) {
        try {
          client = WsClient.connect();
          break;
        } catch (java.util.concurrent.ExecutionException e) {
          if (System.nanoTime() > deadline) {
            throw e;
          }
          handshakesRefused++;
          Thread.sleep(500);
        }
      }
      JsonObject welcome = client.authenticate(token);
      assertEquals("welcome", welcome.getString("op"), welcome::toString);
      if (firstWelcomedAt == 0) {
        firstWelcomedAt = System.nanoTime();
      }
      client.send("{\"op\":\"resume\",\"after\":" + seq + "}");
    }

    @Override
    public void close() {
      client.close();
    }
  }

  @Test
  @Order(1)
  void aUserWithASessionOnEachInstanceGetsEachNotificationOnBothLive() throws Exception {
    String user = unique("pro");
    String token = Tokens.valid(user);
    List<WsClient> sessions = new ArrayList<>();
    try {
      for (int port : Launcher.INSTANCE_PORTS) {
        WsClient session =
            WsClient.connect(URI.create("ws://localhost:" + port + Launcher.CONTEXT + "ws"));
        sessions.add(session);
        JsonObject welcome = session.authenticate(token);
        assertEquals("welcome", welcome.getString("op"), welcome::toString);
      }
      for (int n = 1; n <= 3; n++) {
        long sent = System.nanoTime();
        send(user, user + "-" + n);
        for (WsClient session : sessions) {
          assertEquals(user + "-" + n, session.nextNotification().getString("id"));
        }
        System.out.printf(
            "[ClusterIT] one session on 8081 and one on 8082: notification %d on both after %.0f"
                + " ms%n",
            n, (System.nanoTime() - sent) / 1e6);
      }
    } finally {
      sessions.forEach(WsClient::close);
    }
  }

  @Test
  @Order(2)
  void eachInstancesAdminPageShowsEveryInstanceWithItsSessions() throws Exception {
    String user = unique("pro");
    URI second =
        URI.create("ws://localhost:" + Launcher.INSTANCE_PORTS.get(1) + Launcher.CONTEXT + "ws");
    try (WsClient session = WsClient.connect(second)) {
      assertEquals("welcome", session.authenticate(Tokens.valid(user)).getString("op"));
      for (int port : Launcher.INSTANCE_PORTS) {
        // Each instance's view, on its own port: both instances live, 8082 with the session.
        JsonObject view =
            Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1))
                .until(
                    () -> clusterView(port),
                    v ->
                        v.getJsonObject("total").getInt("live") == Launcher.INSTANCE_PORTS.size()
                            && latestSessions(v, "localhost:" + Launcher.INSTANCE_PORTS.get(1))
                                >= 1);
        List<String> names =
            view.getJsonArray("instances").stream()
                .map(i -> i.asJsonObject().getString("name"))
                .toList();
        assertEquals(List.of("localhost:8081", "localhost:8082"), names, view::toString);
        System.out.printf(
            "[ClusterIT] the admin page's cluster view on %d: %s, %d sessions in all%n",
            port, names, view.getJsonObject("total").getInt("sessions"));
      }
    }
  }

  private static JsonObject clusterView(int port) throws Exception {
    String credentials =
        java.util.Base64.getEncoder()
            .encodeToString(
                ("wsadmin:" + System.getProperty("it.admin.password"))
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://localhost:" + port + Launcher.CONTEXT + "api/admin/cluster"))
                    .header("Authorization", "Basic " + credentials)
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response::body);
    try (jakarta.json.JsonReader reader =
        jakarta.json.Json.createReader(new java.io.StringReader(response.body()))) {
      return reader.readObject();
    }
  }

  private static int latestSessions(JsonObject view, String name) {
    for (jakarta.json.JsonValue value : view.getJsonArray("instances")) {
      JsonObject instance = value.asJsonObject();
      if (instance.getString("name").equals(name)) {
        jakarta.json.JsonArray samples = instance.getJsonArray("samples");
        return samples.getJsonObject(samples.size() - 1).getInt("sessions");
      }
    }
    return -1;
  }

  @Test
  @Order(3)
  void anInstanceKilledLosesNoNotificationAndShowsNoneTwiceItsClientsResumeOnTheOther()
      throws Exception {
    List<Pro> gone = firstInstanceGoesAway("killed (kill -9)", Cluster::kill);
    // No close frame from a killed process: HAProxy drops the browser's side.
    for (Pro pro : gone) {
      assertTrue(pro.closes.get(0).code() != 1001, pro.user + " closed " + pro.closes);
    }
  }

  @Test
  @Order(4)
  void anInstanceStoppedWithSigtermClosesItsSessionsWith1001AndTheyResumeOnTheOther()
      throws Exception {
    List<Pro> gone = firstInstanceGoesAway("stopped (SIGTERM)", Cluster::terminate);
    for (Pro pro : gone) {
      WsClient.Closed first = pro.closes.get(0);
      assertEquals(1001, first.code(), pro.user + " closed " + pro.closes);
      assertTrue(first.reason().startsWith("server going away"), first::toString);
    }
  }

  /** What an instance's end does to the pros of the test, through the load balancer. */
  private interface Ending {
    void end(ProcessHandle instance) throws Exception;
  }

  /**
   * Twelve pros connect through HAProxy (so about half of them to each instance); the instance on
   * 8081 ends as {@code how} says; its pros reconnect through HAProxy to the other and resume from
   * their cursor, and every pro gets exactly what was sent meanwhile, in order. Waits until the
   * launcher has the instance back and HAProxy counts it UP again. Returns the pros whose line
   * broke.
   */
  private static List<Pro> firstInstanceGoesAway(String what, Ending how) throws Exception {
    cluster.awaitAllUpBehindTheBalancer(BACK);
    List<Pro> pros = new ArrayList<>();
    try {
      for (int i = 0; i < 12; i++) {
        pros.add(new Pro());
      }
      for (Pro pro : pros) {
        send(pro.user, pro.user + "-before");
      }
      for (Pro pro : pros) {
        pro.readUntil(pro.user + "-before");
      }

      ProcessHandle first = cluster.instance(Launcher.INSTANCE_PORTS.get(0));
      long ended = System.nanoTime();
      how.end(first);
      double endMillis = (System.nanoTime() - ended) / 1e6;
      // Its clients see their line break (a close frame, or HAProxy closing their side).
      Awaitility.await()
          .atMost(WsClient.WAIT)
          .until(() -> pros.stream().anyMatch(p -> p.client.isClosed()));
      // Each broken one reconnects at once, on a thread of its own, as waterspout.js does after a
      // close (its back-off aside); watched for a second more, for lines that break later.
      List<Pro> broken = new ArrayList<>();
      List<java.util.concurrent.CompletableFuture<Void>> reconnecting = new ArrayList<>();
      long watchUntil = System.nanoTime() + Duration.ofSeconds(1).toNanos();
      while (System.nanoTime() < watchUntil) {
        for (Pro pro : pros) {
          if (!broken.contains(pro) && pro.client.isClosed()) {
            broken.add(pro);
            reconnecting.add(
                java.util.concurrent.CompletableFuture.runAsync(
                    () -> {
                      try {
                        pro.reconnect();
                      } catch (Exception e) {
                        throw new java.util.concurrent.CompletionException(e);
                      }
                    }));
          }
        }
        Thread.sleep(10);
      }
      reconnecting.forEach(java.util.concurrent.CompletableFuture::join);
      assertTrue(
          !broken.isEmpty() && broken.size() < pros.size(),
          broken.size() + " of " + pros.size() + " broke");

      // Sent while the instance is away: the other one takes them all in.
      for (int n = 1; n <= 3; n++) {
        for (Pro pro : pros) {
          send(pro.user, pro.user + "-during-" + n);
        }
      }
      for (Pro pro : pros) {
        send(pro.user, pro.user + "-marker");
      }
      for (Pro pro : pros) {
        pro.seen.clear();
        pro.readUntil(pro.user + "-marker");
        assertEquals(
            List.of(
                pro.user + "-during-1",
                pro.user + "-during-2",
                pro.user + "-during-3",
                pro.user + "-marker"),
            pro.seen,
            pro.user + ", reconnected " + pro.reconnects + " times");
        assertNull(pro.client.poll(Duration.ofMillis(200)), "nothing after the marker");
      }
      System.out.printf(
          "[ClusterIT] instance %s: %d of %d clients resumed through HAProxy on the other"
              + " instance, 0 lost, 0 twice; closed with %s %s ms after the signal, the process"
              + " gone after %.0f ms; a reconnect welcomed on the other instance %s ms after its"
              + " close (%d handshakes refused on the way)%n",
          what,
          broken.size(),
          pros.size(),
          broken.stream().map(p -> p.closes.get(0).code()).distinct().toList(),
          range(broken, p -> p.firstClosedAt - ended),
          endMillis,
          range(broken, p -> p.firstWelcomedAt - p.firstClosedAt),
          pros.stream().mapToInt(p -> p.handshakesRefused).sum());

      // The launcher starts it again; it serves once more.
      long restart = System.nanoTime();
      awaitServing(Launcher.INSTANCE_PORTS.get(0));
      System.out.printf(
          "[ClusterIT] the launcher had the instance %s serving again %.1f s later%n",
          what, (System.nanoTime() - restart) / 1e9);
      return broken;
    } finally {
      pros.forEach(Pro::close);
    }
  }

  @Test
  @Order(5)
  void thePrimaryBrokerKilledWhileTheOrderSystemSendsLosesNoMessageAndClosesNoSocket()
      throws Exception {
    List<Pro> pros = new ArrayList<>();
    try {
      for (int i = 0; i < 8; i++) {
        pros.add(new Pro());
      }
      int rounds = 30;
      Map<String, Integer> retries = new HashMap<>();
      Map<Integer, Integer> demoAnswers = new java.util.TreeMap<>();
      // Half the users hear from an AMQP 1.0 producer (Qpid JMS) with the pair's failover URL.
      JMSContext amqp = new JmsConnectionFactory(AMQP_PAIR_URL).createContext();
      long killedAt = 0;
      for (int round = 1; round <= rounds; round++) {
        if (round == 10) {
          killedAt = System.nanoTime();
          Cluster.kill(cluster.broker(ArtemisBroker.Role.PRIMARY));
        }
        for (int i = 0; i < pros.size(); i++) {
          Pro pro = pros.get(i);
          String id = pro.user + "-" + round;
          if (i % 2 == 0) {
            retries.merge("sends", sendRetrying(pro.user, id), Integer::sum);
          } else {
            retries.merge("amqp", sendOverAmqp(amqp, pro.user, id), Integer::sum);
          }
        }
        if (round >= 10) {
          // The demo page's send, through HAProxy, while the pair fails over: taken (202), or
          // "try again" (503 with JSON and Retry-After), never an error page.
          HttpResponse<String> answer = demoSend(unique("nobody"));
          demoAnswers.merge(answer.statusCode(), 1, Integer::sum);
          if (answer.statusCode() != 202) {
            assertEquals(503, answer.statusCode(), answer::body);
            assertEquals("1", answer.headers().firstValue("Retry-After").orElse(null));
            assertTrue(answer.body().startsWith("{\"error\":"), answer::body);
          }
        }
        Thread.sleep(100);
      }
      for (Pro pro : pros) {
        sendRetrying(pro.user, pro.user + "-marker");
      }
      amqp.close();
      for (Pro pro : pros) {
        pro.readUntil(pro.user + "-marker");
        List<String> expected = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
          expected.add(pro.user + "-" + round);
        }
        expected.add(pro.user + "-marker");
        Map<String, Integer> counts = new LinkedHashMap<>();
        pro.seen.forEach(id -> counts.merge(id, 1, Integer::sum));
        assertEquals(expected.size(), counts.size(), pro.user + " saw " + pro.seen);
        assertTrue(counts.keySet().containsAll(expected), pro.user + " saw " + pro.seen);
        assertEquals(expected.size(), pro.seen.size(), pro.user + " saw some twice: " + pro.seen);
        assertEquals(0, pro.reconnects, pro.user + "'s WebSocket broke during the failover");
        assertFalse(pro.client.isClosed(), pro.user + "'s WebSocket was closed");
      }
      System.out.printf(
          "[ClusterIT] primary broker killed: %d messages to %d users (half over CORE, half over"
              + " AMQP), 0 lost, 0 twice, 0 sockets closed, %d CORE and %d AMQP sends retried by"
              + " the order system, %.1f s from the kill to the last%n",
          rounds * pros.size(),
          pros.size(),
          retries.getOrDefault("sends", 0),
          retries.getOrDefault("amqp", 0),
          (System.nanoTime() - killedAt) / 1e9);
      System.out.println("[ClusterIT] demo sends during the failover, by status: " + demoAnswers);

      // The launcher starts the primary again: it takes over from the backup (failback).
      long restart = System.nanoTime();
      Awaitility.await()
          .atMost(BACK)
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> Cluster.listening(ArtemisBroker.PORT));
      System.out.printf(
          "[ClusterIT] the primary was active again %.1f s later%n",
          (System.nanoTime() - restart) / 1e9);
      Pro after = new Pro();
      try {
        sendRetrying(after.user, after.user + "-after-failback");
        after.readUntil(after.user + "-after-failback");
      } finally {
        after.close();
      }
    } finally {
      pros.forEach(Pro::close);
    }
  }

  @Test
  @Order(6)
  void oneSigtermToTheLauncherStopsEveryProcessItStarted() throws Exception {
    int before = cluster.processes().size();
    assertTrue(before >= 5, "brokers, instances and HAProxy: " + cluster.processes());
    List<ProcessHandle> left = cluster.stop();
    assertEquals(List.of(), left, "still running after the launcher stopped");
    for (int port :
        List.of(
            Launcher.HTTP_PORT,
            Launcher.INSTANCE_PORTS.get(0),
            Launcher.INSTANCE_PORTS.get(1),
            ArtemisBroker.PORT,
            ArtemisBroker.BACKUP_PORT)) {
      assertFalse(Cluster.listening(port), "port " + port + " still open");
    }
  }

  private static void send(String user, String id) throws Exception {
    Message message =
        orderSystem
            .context()
            .createTextMessage(MessageBody.ofType("work-order.routed").id(id).users(user).json());
    // One group per user: that user's messages are taken in, and numbered, in the order sent.
    message.setStringProperty("JMSXGroupID", user);
    orderSystem.send(message, OrderSystem.newCase());
  }

  /**
   * Sends as an order system should through a failover: a send the broker could not confirm is sent
   * again (WaterSpout drops a second copy by its id). Returns how many times it retried.
   */
  private static int sendRetrying(String user, String id) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    int retried = 0;
    while (true) {
      try {
        send(user, id);
        return retried;
      } catch (JMSException | JMSRuntimeException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        retried++;
        Thread.sleep(500);
      }
    }
  }

  /**
   * Sends over AMQP with the failover URL: Qpid JMS holds a send while it moves to the other broker
   * and completes it there; one it reports failed is sent again (a copy is dropped by id).
   */
  private static int sendOverAmqp(JMSContext amqp, String user, String id) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    int retried = 0;
    while (true) {
      try {
        amqp.createProducer()
            .setProperty("JMSXGroupID", user)
            .send(
                amqp.createQueue(OrderSystem.INPUT),
                MessageBody.ofType("work-order.routed").id(id).users(user).json());
        return retried;
      } catch (JMSRuntimeException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        retried++;
        Thread.sleep(500);
      }
    }
  }

  /** A send from the demo API (the launcher runs in demo mode), through the load balancer. */
  private static HttpResponse<String> demoSend(String user) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(
                    "http://localhost:"
                        + Launcher.HTTP_PORT
                        + Launcher.CONTEXT
                        + "api/demo/notifications"))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    MessageBody.ofType("demo.hello").id(unique("demo")).users(user).json()))
            .build();
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** The least and the most of {@code nanos} over {@code pros}, in ms ("12–40"). */
  private static String range(List<Pro> pros, java.util.function.ToLongFunction<Pro> nanos) {
    java.util.LongSummaryStatistics ms =
        pros.stream().mapToLong(nanos).map(n -> n / 1_000_000).summaryStatistics();
    return ms.getMin() + "–" + ms.getMax();
  }

  private static void awaitServing(int port) {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + Launcher.CONTEXT))
            .timeout(Duration.ofSeconds(5))
            .build();
    Awaitility.await()
        .atMost(BACK)
        .pollInterval(Duration.ofSeconds(1))
        .ignoreExceptions()
        .until(
            () -> http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
  }
}
