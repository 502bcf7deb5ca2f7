package org.waterspout.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.waterspout.it.DeliveryIT.unique;

import jakarta.jms.Message;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.waterspout.it.support.MessageBody;
import org.waterspout.it.support.OrderSystem;
import org.waterspout.it.support.Server;
import org.waterspout.it.support.ServerSetup;
import org.waterspout.it.support.Tokens;
import org.waterspout.it.support.WsClient;

/**
 * Nothing missed: the history on the real path (JMS → MDB → database → WebSocket) and the resume,
 * ack and gap frames of the public contract.
 */
@ExtendWith(ArquillianExtension.class)
class HistoryIT {

  @Deployment(testable = false)
  static WebArchive war() {
    return Server.builtWar();
  }

  private OrderSystem orderSystem;

  /** Makes this test's notification ids its own: an id is stored once per server run. */
  private String run;

  @BeforeEach
  void connectToBroker() {
    orderSystem = new OrderSystem();
    run = unique("~");
  }

  @AfterEach
  void disconnect() {
    orderSystem.close();
  }

  @Test
  void aReconnectingClientGetsExactlyWhatItMissedInOrderThenTheLiveStream() throws Exception {
    String pro = unique("pro");
    String crew = unique("crew");
    String crewStream = "group:" + crew;
    String token = Tokens.valid(pro, crew);
    try (WsClient client = WsClient.signedIn(token)) {
      send(orderSystem, "before-1", MessageBody.ofType("t").users(pro));
      send(orderSystem, "before-2", MessageBody.ofType("t").groups(crew));
      List<JsonObject> before = frames(client, 2);
      assertEquals(List.of("before-1", "before-2"), before.stream().map(HistoryIT::id).toList());
      assertEquals(1, before.get(0).getJsonNumber("seq").longValue());
      assertEquals(crewStream, before.get(1).getString("stream"));
      assertEquals(1, before.get(1).getJsonNumber("offset").longValue());
    }
    for (int i = 1; i <= 5; i++) {
      // Group messages too: each numbered once, in the group's own stream.
      MessageBody body =
          i % 2 == 0 ? MessageBody.ofType("t").groups(crew) : MessageBody.ofType("t").users(pro);
      send(orderSystem, "missed-" + i, body);
    }
    awaitStored(token, 4);
    awaitStream(token, crewStream, 3);

    try (WsClient client = WsClient.connect()) {
      JsonObject welcome = client.authenticate(token);
      assertEquals(
          3,
          welcome.getJsonObject("streams").getJsonObject(crewStream).getInt("offset"),
          welcome::toString);
      client.send("{\"op\":\"resume\",\"after\":1,\"streams\":{\"" + crewStream + "\":1}}");
      List<JsonObject> replayed = frames(client, 5);
      // In order within each stream; the two streams are replayed side by side.
      List<JsonObject> own = replayed.stream().filter(f -> !f.containsKey("stream")).toList();
      List<JsonObject> group = replayed.stream().filter(f -> f.containsKey("stream")).toList();
      assertEquals(
          List.of("missed-1", "missed-3", "missed-5"), own.stream().map(HistoryIT::id).toList());
      assertEquals(List.of(2L, 3L, 4L), seqs(own));
      assertEquals(List.of("missed-2", "missed-4"), group.stream().map(HistoryIT::id).toList());
      assertEquals(
          List.of(2L, 3L), group.stream().map(f -> f.getJsonNumber("offset").longValue()).toList());
      send(orderSystem, "live", MessageBody.ofType("t").groups(crew));
      send(orderSystem, "marker", MessageBody.ofType("t").users(pro));
      List<JsonObject> live = frames(client, 2);
      assertEquals(List.of("live", "marker"), live.stream().map(HistoryIT::id).toList());
      assertEquals(4, live.get(0).getJsonNumber("offset").longValue());
      assertEquals(5, live.get(1).getJsonNumber("seq").longValue());
      assertNull(client.poll(Duration.ofSeconds(1)), "nothing more, nothing twice");
    }
  }

  @Test
  void aGroupStreamNotResumedStartsAfterWhatTheUserAcknowledgedInIt() throws Exception {
    String pro = unique("pro");
    String crew = unique("crew");
    String crewStream = "group:" + crew;
    String token = Tokens.valid(pro, crew);
    try (WsClient client = WsClient.signedIn(token)) {
      send(orderSystem, "g1", MessageBody.ofType("t").groups(crew));
      send(orderSystem, "g2", MessageBody.ofType("t").groups(crew));
      assertEquals(List.of("g1", "g2"), ids(client, 2));
      client.send("{\"op\":\"ack\",\"streams\":{\"" + crewStream + "\":1}}");
      org.awaitility.Awaitility.await()
          .atMost(WsClient.WAIT)
          .until(
              () ->
                  cursor(token).getJsonObject("streams").getJsonObject(crewStream).getInt("acked")
                      == 1);
    }
    send(orderSystem, "g3", MessageBody.ofType("t").groups(crew));
    awaitStream(token, crewStream, 3);
    // A client that knows only its own cursor (as before group streams) still misses nothing.
    try (WsClient client = resumed(token, 0)) {
      assertEquals(List.of("g2", "g3"), ids(client, 2));
    }
  }

  /**
   * A member's acks of a group stream are held for the group-ack delay (a minute in this suite),
   * unless a receipt waits: when the session closes they are stored at once, not a minute later and
   * not lost.
   */
  @Test
  void aMembersGroupAckIsStoredWhenItsSessionCloses() throws Exception {
    Assumptions.assumeTrue(ServerSetup.historyOnPostgresql(), "needs the history on PostgreSQL");
    String pro = unique("pro");
    String crew = unique("crew");
    String crewStream = "group:" + crew;
    String stored =
        "SELECT COALESCE(MAX(acked_seq), -1) FROM ws_stream_ack WHERE user_id = '"
            + pro
            + "' AND stream = '"
            + crewStream
            + "'";
    try (WsClient client = WsClient.signedIn(Tokens.valid(pro, crew))) {
      // Where the sign-in began to follow the group (0), stored soon: an ack that comes while
      // that is still waiting is stored with it (the writer may be busy with another's acks).
      org.awaitility.Awaitility.await()
          .atMost(WsClient.WAIT)
          .pollInterval(Duration.ofMillis(100))
          .until(() -> ServerSetup.queryHistoryDatabase(stored), "0"::equals);
      send(orderSystem, "g1", MessageBody.ofType("t").groups(crew));
      send(orderSystem, "g2", MessageBody.ofType("t").groups(crew));
      assertEquals(List.of("g1", "g2"), ids(client, 2));
      client.send("{\"op\":\"ack\",\"streams\":{\"" + crewStream + "\":2}}");
      // Held while the session is open: what the sign-in stored, not yet the ack.
      Thread.sleep(2_000);
      assertEquals("0", ServerSetup.queryHistoryDatabase(stored), "held for the group-ack delay");
    }
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> ServerSetup.queryHistoryDatabase(stored), "2"::equals);
  }

  @Test
  void aReplayOfLargeNotificationsComesWholeAndInOrder() throws Exception {
    // 18 notifications of about 60 KB: more than one page of the history by size (about 1 MiB),
    // though not by count; fewer than the suite's retention keeps per user (20).
    String pro = unique("pro");
    String token = Tokens.valid(pro);
    cursor(token);
    String blob = "x".repeat(60_000);
    List<String> sent = new ArrayList<>();
    for (int i = 1; i <= 18; i++) {
      sent.add("large-" + i);
      send(orderSystem, "large-" + i, MessageBody.ofType("t").users(pro).data("blob", blob));
    }
    awaitStored(token, 18);
    try (WsClient client = resumed(token, 0)) {
      List<JsonObject> replayed = frames(client, 18);
      assertEquals(sent, replayed.stream().map(HistoryIT::id).toList());
      assertEquals(java.util.stream.LongStream.rangeClosed(1, 18).boxed().toList(), seqs(replayed));
      assertEquals(blob, replayed.get(17).getJsonObject("data").getString("blob"));
    }
  }

  @Test
  void aServerRestartBetweenSendAndReconnectLosesNothing() throws Exception {
    String pro = unique("pro");
    String token = Tokens.valid(pro);
    for (int i = 1; i <= 3; i++) {
      send(orderSystem, "before-restart-" + i, MessageBody.ofType("t").users(pro));
    }
    awaitStored(token, 3);

    Duration restart = ServerSetup.restartServer();
    System.out.println("[HistoryIT] server restarted in " + restart.toMillis() + " ms");

    try (OrderSystem afterRestart = new OrderSystem();
        WsClient client = resumed(token, 1)) {
      assertEquals(List.of("before-restart-2", "before-restart-3"), ids(client, 2));
      send(afterRestart, "after-restart", MessageBody.ofType("t").users(pro));
      JsonObject live = client.nextNotification();
      assertEquals("after-restart", id(live));
      assertEquals(4, live.getJsonNumber("seq").longValue());
    }
  }

  @Test
  void eachDeviceResumesFromItsOwnCursor() throws Exception {
    String pro = unique("pro");
    String token = Tokens.valid(pro);
    try (WsClient laptop = WsClient.signedIn(token)) {
      for (int i = 1; i <= 4; i++) {
        send(orderSystem, "n" + i, MessageBody.ofType("t").users(pro));
      }
      assertEquals(List.of("n1", "n2", "n3", "n4"), ids(laptop, 4));
      try (WsClient phone = resumed(token, 1)) {
        assertEquals(List.of("n2", "n3", "n4"), ids(phone, 3));
        send(orderSystem, "n5", MessageBody.ofType("t").users(pro));
        assertEquals(List.of("n5"), ids(phone, 1));
        assertEquals(List.of("n5"), ids(laptop, 1));
      }
    }
  }

  @Test
  void withoutResumeTheUnacknowledgedComeFirst() throws Exception {
    String pro = unique("pro");
    String token = Tokens.valid(pro);
    try (WsClient client = WsClient.signedIn(token)) {
      for (int i = 1; i <= 3; i++) {
        send(orderSystem, "n" + i, MessageBody.ofType("t").users(pro));
      }
      assertEquals(List.of("n1", "n2", "n3"), ids(client, 3));
      client.send("{\"op\":\"ack\",\"seq\":2}");
      // The test client's close resets the connection, which may discard a frame the server has
      // not read yet: see the ack stored before closing.
      org.awaitility.Awaitility.await()
          .atMost(WsClient.WAIT)
          .until(() -> cursor(token).getJsonNumber("acked").longValue() == 2);
    }
    try (WsClient client = WsClient.connect()) {
      JsonObject welcome = client.authenticate(token);
      assertEquals(3, welcome.getJsonNumber("seq").longValue(), welcome::toString);
      assertEquals(2, welcome.getJsonNumber("acked").longValue(), welcome::toString);
      assertEquals(List.of("n3"), ids(client, 1));
      send(orderSystem, "n4", MessageBody.ofType("t").users(pro));
      assertEquals(List.of("n4"), ids(client, 1));
    }
  }

  @Test
  void aDuplicatedMessageIdIsPushedOnce() throws Exception {
    String pro = unique("pro");
    String id = unique("dup");
    try (WsClient client = WsClient.signedIn(Tokens.valid(pro))) {
      send(orderSystem, id, MessageBody.ofType("t").users(pro).field("title", "first"));
      send(orderSystem, id, MessageBody.ofType("t").users(pro).field("title", "again"));
      send(orderSystem, "marker", MessageBody.ofType("t").users(pro));
      List<JsonObject> frames = frames(client, 2);
      assertEquals(id, id(frames.get(0)));
      assertEquals("first", frames.get(0).getString("title"));
      assertEquals("marker", id(frames.get(1)));
    }
  }

  /**
   * A write the database refuses rolls the intake back, and the broker redelivers: the notification
   * comes once the database takes it, and only once. On PostgreSQL, where the test can break the
   * real database: a trigger fails the first two tries to store it.
   */
  @Test
  void aMessageTheDatabaseFailsToStoreIsRedeliveredAndComesOnce() throws Exception {
    Assumptions.assumeTrue(ServerSetup.historyOnPostgresql(), "needs the history on PostgreSQL");
    String pro = unique("pro");
    String id = unique("refused");
    ServerSetup.onHistoryDatabase(
        String.join(
            "\n",
            "CREATE SEQUENCE ws_it_failures;",
            "CREATE FUNCTION ws_it_fail() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$",
            "BEGIN",
            "  IF NEW.notification_id = '" + id + run + "' THEN",
            "    IF nextval('ws_it_failures') <= 2 THEN",
            "      RAISE EXCEPTION 'write refused by HistoryIT';",
            "    END IF;",
            "  END IF;",
            "  RETURN NEW;",
            "END $$;",
            "CREATE TRIGGER ws_it_fail BEFORE INSERT ON ws_pending",
            "  FOR EACH ROW EXECUTE FUNCTION ws_it_fail();"));
    try (WsClient client = WsClient.signedIn(Tokens.valid(pro))) {
      send(orderSystem, id, MessageBody.ofType("t").users(pro));
      assertEquals(List.of(id), ids(client, 1));
      assertEquals(
          "3",
          ServerSetup.queryHistoryDatabase("SELECT last_value FROM ws_it_failures"),
          "two refused tries, then the one that stored it");
      // Sent after it: a second copy of the refused one would come before this.
      send(orderSystem, "marker", MessageBody.ofType("t").users(pro));
      assertEquals(List.of("marker"), ids(client, 1));
    } finally {
      ServerSetup.onHistoryDatabase(
          "DROP TRIGGER IF EXISTS ws_it_fail ON ws_pending; DROP FUNCTION IF EXISTS ws_it_fail();"
              + " DROP SEQUENCE IF EXISTS ws_it_failures;");
    }
  }

  /**
   * A message the database refuses on every delivery (a poison message) goes to the rejected queue
   * with the database's reason after {@code waterspout.intake.max-attempts} deliveries (5), rather
   * than round and round and then to the dead-letter queue without one; the messages behind it are
   * stored and pushed meanwhile. On PostgreSQL: a trigger refuses its every write.
   */
  @Test
  void aMessageTheDatabaseAlwaysRefusesIsRejectedWithTheReasonWhileTheOthersGoOn()
      throws Exception {
    Assumptions.assumeTrue(ServerSetup.historyOnPostgresql(), "needs the history on PostgreSQL");
    String pro = unique("pro");
    String id = unique("poison");
    String testCase = OrderSystem.newCase();
    ServerSetup.onHistoryDatabase(
        String.join(
            "\n",
            "CREATE SEQUENCE ws_it_poison;",
            "CREATE FUNCTION ws_it_poison() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$",
            "BEGIN",
            "  IF NEW.notification_id = '" + id + run + "' THEN",
            "    PERFORM nextval('ws_it_poison');",
            "    RAISE EXCEPTION 'poison refused by HistoryIT';",
            "  END IF;",
            "  RETURN NEW;",
            "END $$;",
            "CREATE TRIGGER ws_it_poison BEFORE INSERT ON ws_pending",
            "  FOR EACH ROW EXECUTE FUNCTION ws_it_poison();"));
    try (WsClient client = WsClient.signedIn(Tokens.valid(pro))) {
      // Not in the class's message group: the broker holds a group's later messages back while
      // one of it waits for its redelivery.
      orderSystem.sendText(body(id, MessageBody.ofType("t").users(pro)), testCase);
      orderSystem.sendText(
          body("behind", MessageBody.ofType("t").users(pro)), OrderSystem.newCase());
      assertEquals(List.of("behind"), ids(client, 1), "the one behind it is not held up");

      // Deliveries 1 to 5 about 0, 1, 3, 7 and 15 s after the send (the broker's back-off).
      Message rejected = orderSystem.rejected(testCase, 60_000);
      assertNotNull(rejected, "not in " + OrderSystem.REJECTED + " after 60 s");
      String reason = rejected.getStringProperty("WaterSpoutRejectReason");
      assertTrue(reason.startsWith("could not be stored after 5 attempts: "), reason);
      assertTrue(reason.contains("poison refused by HistoryIT"), reason);
      assertNull(orderSystem.rejected(testCase, 1000), "rejected more than once");
      long tries =
          Long.parseLong(ServerSetup.queryHistoryDatabase("SELECT last_value FROM ws_it_poison"));
      assertTrue(tries >= 5, () -> "the database saw " + tries + " tries to store it");

      // Never stored, so never pushed: the next one comes, and nothing before it.
      orderSystem.sendText(
          body("marker", MessageBody.ofType("t").users(pro)), OrderSystem.newCase());
      assertEquals(List.of("marker"), ids(client, 1));
    } finally {
      ServerSetup.onHistoryDatabase(
          "DROP TRIGGER IF EXISTS ws_it_poison ON ws_pending;"
              + " DROP FUNCTION IF EXISTS ws_it_poison(); DROP SEQUENCE IF EXISTS ws_it_poison;");
    }
  }

  @Test
  void anExpiredNotificationIsNeitherPushedNorReplayed() throws Exception {
    String pro = unique("pro");
    String token = Tokens.valid(pro);
    long expiresAt;
    // A context of its own: Artemis' JMSProducers of one context share their time-to-live.
    try (OrderSystem shortLived = new OrderSystem()) {
      Message message =
          shortLived.context().createTextMessage(body("short", MessageBody.ofType("t").users(pro)));
      // In the class's group like every other message here, so it is numbered before "lasting"
      // (without a group the two were taken in in parallel, and "lasting" once got number 1).
      message.setStringProperty("JMSXGroupID", GROUP);
      shortLived
          .context()
          .createProducer()
          .setTimeToLive(2000)
          .send(shortLived.context().createQueue(OrderSystem.INPUT), message);
      expiresAt = message.getJMSExpiration();
    }
    send(orderSystem, "lasting", MessageBody.ofType("t").users(pro));
    awaitStored(token, 2);
    // Let the first expire on the wall clock, as stored: the point of the test.
    org.awaitility.Awaitility.await()
        .atMost(WsClient.WAIT)
        .until(() -> System.currentTimeMillis() > expiresAt);

    try (WsClient client = resumed(token, 0)) {
      JsonObject first = client.nextNotification();
      assertEquals("lasting", id(first));
      assertEquals(2, first.getJsonNumber("seq").longValue());
    }
  }

  @Test
  void messagesOfOneJmsxGroupArriveInTheOrderSent() throws Exception {
    String pro = unique("pro");
    List<String> sent = new ArrayList<>();
    try (WsClient client = WsClient.signedIn(Tokens.valid(pro))) {
      for (int i = 1; i <= 30; i++) {
        String id = "wo-7-step-" + i;
        sent.add(id);
        Message message =
            orderSystem.context().createTextMessage(body(id, MessageBody.ofType("t").users(pro)));
        message.setStringProperty("JMSXGroupID", "work-order-7");
        orderSystem.send(message, OrderSystem.newCase());
      }
      assertEquals(sent, ids(client, 30));
    }
  }

  @Test
  void resumingPastWhatRetentionDroppedIsReportedAsAGap() throws Exception {
    String pro = unique("pro");
    int kept = Integer.getInteger("it.history.max-per-user");
    int count = kept + 10;
    for (int i = 1; i <= count; i++) {
      send(orderSystem, "n" + i, MessageBody.ofType("t").users(pro));
    }
    String token = Tokens.valid(pro);
    awaitStored(token, count);
    JsonObject first =
        org.awaitility.Awaitility.await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(500))
            .until(
                () -> {
                  try (WsClient client = resumed(token, 0)) {
                    return client.next();
                  }
                },
                // Retention may run while the last ones are still coming in: wait for its pass
                // after them.
                frame ->
                    "gap".equals(frame.getString("op"))
                        && frame.getJsonNumber("to").longValue() == count - kept);
    assertEquals(1, first.getJsonNumber("from").longValue(), first::toString);
    assertEquals(count - kept, first.getJsonNumber("to").longValue(), first::toString);
    try (WsClient client = resumed(token, count - kept - 1)) {
      assertEquals("gap", client.next().getString("op"));
      List<JsonObject> rest = frames(client, kept);
      assertEquals(count - kept + 1, rest.get(0).getJsonNumber("seq").longValue());
      assertEquals(count, rest.get(kept - 1).getJsonNumber("seq").longValue());
    }
  }

  @Test
  void badResumeAndAckFramesGetAnErrorAndTheSessionGoesOn() throws Exception {
    String pro = unique("pro");
    try (WsClient client = WsClient.signedIn(Tokens.valid(pro))) {
      for (String frame :
          List.of(
              "{\"op\":\"resume\"}",
              "{\"op\":\"resume\",\"after\":-1}",
              "{\"op\":\"resume\",\"after\":1.5}",
              "{\"op\":\"ack\",\"seq\":\"7\"}",
              "{\"op\":\"ack\",\"seq\":99999999999999999999}")) {
        client.send(frame);
        JsonObject error = client.next();
        assertEquals("error", error.getString("op"), frame);
        assertEquals("bad-frame", error.getString("code"), frame);
      }
      client.send("{\"op\":\"ack\",\"seq\":5}");
      JsonObject ahead = client.next();
      assertEquals("ack-ahead", ahead.getString("code"), ahead::toString);
      client.send("{\"op\":\"resume\",\"after\":5}");
      JsonObject cursor = client.next();
      assertEquals("cursor-ahead", cursor.getString("code"), cursor::toString);
      send(orderSystem, "still-here", MessageBody.ofType("t").users(pro));
      assertEquals(List.of("still-here"), ids(client, 1));
    }
  }

  /** Connects, authenticates and resumes after {@code after}. */
  static WsClient resumed(String token, long after) throws Exception {
    WsClient client = WsClient.connect();
    JsonObject welcome = client.authenticate(token);
    assertEquals("welcome", welcome.getString("op"), welcome::toString);
    client.send("{\"op\":\"resume\",\"after\":" + after + "}");
    return client;
  }

  /**
   * Sends in one JMSXGroupID per test, so the messages are taken in, and numbered, in the order
   * sent; messages without a group are taken in in parallel, in any order.
   */
  void send(OrderSystem orderSystem, String id, MessageBody body) throws Exception {
    Message message = orderSystem.context().createTextMessage(body(id, body));
    message.setStringProperty("JMSXGroupID", GROUP);
    orderSystem.send(message, OrderSystem.newCase());
  }

  private static final String GROUP = unique("history-it");

  private String body(String id, MessageBody body) {
    return body.id(id + run).json();
  }

  static List<JsonObject> frames(WsClient client, int count) throws InterruptedException {
    List<JsonObject> frames = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      frames.add(client.nextNotification());
    }
    return frames;
  }

  static List<String> ids(WsClient client, int count) throws InterruptedException {
    return frames(client, count).stream().map(HistoryIT::id).toList();
  }

  /** The id as the test named it, without its run suffix. */
  static String id(JsonObject frame) {
    return frame.getString("id").replaceFirst("~.*", "");
  }

  private static List<Long> seqs(List<JsonObject> frames) {
    return frames.stream().map(f -> f.getJsonNumber("seq").longValue()).toList();
  }

  /** Waits until a group stream reached {@code offset}, as a new session's welcome shows it. */
  static void awaitStream(String token, String stream, long offset) {
    org.awaitility.Awaitility.await()
        .atMost(WsClient.WAIT)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                cursor(token)
                    .getJsonObject("streams")
                    .getJsonObject(stream)
                    .getJsonNumber("offset")
                    .longValue(),
            latest -> latest >= offset);
  }

  /** A new session's welcome: the user's sequence and acknowledgement as stored. */
  static JsonObject cursor(String token) throws Exception {
    try (WsClient client = WsClient.connect()) {
      return client.authenticate(token);
    }
  }

  /**
   * Waits until the token's user's sequence reached {@code seq}, as a new session's welcome shows
   * it.
   */
  static void awaitStored(String token, long seq) {
    org.awaitility.Awaitility.await()
        .atMost(WsClient.WAIT)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              try (WsClient client = WsClient.connect()) {
                return client.authenticate(token).getJsonNumber("seq").longValue();
              }
            },
            latest -> latest >= seq);
  }
}
