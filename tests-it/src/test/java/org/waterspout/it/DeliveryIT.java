package org.waterspout.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.waterspout.it.support.MessageBody;
import org.waterspout.it.support.OrderSystem;
import org.waterspout.it.support.Server;
import org.waterspout.it.support.Stomp;
import org.waterspout.it.support.Tokens;
import org.waterspout.it.support.WsClient;
import org.waterspout.it.support.WsClient.Closed;

/** Routing on the real path: JMS → MDB → CDI → WebSocket, to exactly the right sessions. */
@ExtendWith(ArquillianExtension.class)
class DeliveryIT {

  @Deployment(testable = false)
  static WebArchive war() {
    return Server.builtWar();
  }

  private OrderSystem orderSystem;

  @BeforeEach
  void connectToBroker() {
    orderSystem = new OrderSystem();
  }

  @AfterEach
  void disconnect() {
    orderSystem.close();
  }

  @Test
  void reachesEveryTabOfTheUserAndTheGroupAndNobodyElse() throws Exception {
    String pro = unique("pro");
    String bystanderId = unique("bystander");
    try (WsClient tab1 = WsClient.signedIn(Tokens.valid(pro));
        WsClient tab2 = WsClient.signedIn(Tokens.valid(pro));
        WsClient agent = WsClient.signedIn(Tokens.valid(unique("agent"), "support", "billing"));
        WsClient bystander = WsClient.signedIn(Tokens.valid(bystanderId, "field"))) {
      String id = unique("wo-routed");
      orderSystem.sendText(
          MessageBody.ofType("work-order.routed").id(id).users(pro).groups("support").json(),
          OrderSystem.newCase());

      assertEquals(id, tab1.nextNotification().getString("id"));
      assertEquals(id, tab2.nextNotification().getString("id"));
      assertEquals(id, agent.nextNotification().getString("id"));

      // The routed message has reached its recipients, so had it gone to the bystander too it
      // would sit in the bystander's outbox ahead of this marker.
      String marker = unique("marker");
      orderSystem.sendText(OrderSystem.notificationFor(marker, bystanderId), OrderSystem.newCase());
      assertEquals(marker, bystander.nextNotification().getString("id"));
    }
  }

  @Test
  void overManyInterleavedMessagesEachSessionGetsItsOwnAndItsGroupsAndNothingElse()
      throws Exception {
    int people = 6;
    String[] users = new String[people];
    String[] groups = {unique("crew-a"), unique("crew-b"), unique("crew-c")};
    List<WsClient> clients = new ArrayList<>();
    try {
      for (int i = 0; i < people; i++) {
        users[i] = unique("pro-" + i);
        clients.add(WsClient.signedIn(Tokens.valid(users[i], groups[i % groups.length])));
      }
      List<Set<String>> expected = new ArrayList<>();
      for (int i = 0; i < people; i++) {
        expected.add(new HashSet<>());
      }
      Random random = new Random(20261204L);
      for (int k = 0; k < 120; k++) {
        String id = unique("m" + k);
        if (random.nextBoolean()) {
          int to = random.nextInt(people);
          orderSystem.sendText(OrderSystem.notificationFor(id, users[to]), OrderSystem.newCase());
          expected.get(to).add(id);
        } else {
          int to = random.nextInt(groups.length);
          orderSystem.sendText(
              MessageBody.ofType("work-order.routed").id(id).groups(groups[to]).json(),
              OrderSystem.newCase());
          for (int i = to; i < people; i += groups.length) {
            expected.get(i).add(id);
          }
        }
      }
      List<List<String>> received = new ArrayList<>();
      for (int i = 0; i < people; i++) {
        List<String> got = new ArrayList<>();
        while (got.size() < expected.get(i).size()) {
          got.add(clients.get(i).nextNotification().getString("id"));
        }
        received.add(got);
      }
      // Every message has reached all its recipients: had one gone elsewhere too, it would sit
      // ahead of these markers, one to each user and one to each group.
      String[] userMarkers = new String[people];
      for (int i = 0; i < people; i++) {
        userMarkers[i] = unique("user-marker");
        orderSystem.sendText(
            OrderSystem.notificationFor(userMarkers[i], users[i]), OrderSystem.newCase());
      }
      String[] groupMarkers = new String[groups.length];
      for (int g = 0; g < groups.length; g++) {
        groupMarkers[g] = unique("group-marker");
        orderSystem.sendText(
            MessageBody.ofType("work-order.routed").id(groupMarkers[g]).groups(groups[g]).json(),
            OrderSystem.newCase());
      }
      for (int i = 0; i < people; i++) {
        Set<String> markers =
            new HashSet<>(Set.of(userMarkers[i], groupMarkers[i % groups.length]));
        while (!markers.isEmpty()) {
          String id = clients.get(i).nextNotification().getString("id");
          if (!markers.remove(id)) {
            received.get(i).add(id);
          }
        }
        assertEquals(
            expected.get(i).size(), received.get(i).size(), "user " + i + ": none twice, no more");
        assertEquals(expected.get(i), new HashSet<>(received.get(i)), "user " + i);
      }
    } finally {
      clients.forEach(WsClient::close);
    }
  }

  @Test
  void framesCarryTheContractFieldsButNotTheRecipients() throws Exception {
    String pro = unique("pro");
    try (WsClient client = WsClient.signedIn(Tokens.valid(pro))) {
      String id = unique("wo");
      orderSystem.sendText(
          MessageBody.ofType("spend-limit.approved")
              .id(id)
              .users(pro)
              .field("title", "Limit raised")
              .field("body", "Now 500 USD")
              .data("limit", 500)
              .field("occurredAt", "2026-11-25T10:15:30Z")
              .json(),
          OrderSystem.newCase());

      JsonObject frame = client.nextNotification();
      assertEquals(id, frame.getString("id"));
      assertEquals("spend-limit.approved", frame.getString("type"));
      assertEquals("Limit raised", frame.getString("title"));
      assertEquals("Now 500 USD", frame.getString("body"));
      assertEquals(500, frame.getJsonObject("data").getInt("limit"));
      assertEquals("2026-11-25T10:15:30Z", frame.getString("occurredAt"));
      assertFalse(frame.containsKey("to"));
    }
  }

  @Test
  void aSessionNamedAsUserAndThroughAGroupGetsItOnce() throws Exception {
    String agentId = unique("agent");
    String group = unique("team");
    try (WsClient agent = WsClient.signedIn(Tokens.valid(agentId, group))) {
      String id = unique("wo");
      orderSystem.sendText(
          MessageBody.ofType("work-order.cancelled").id(id).users(agentId).groups(group).json(),
          OrderSystem.newCase());
      assertEquals(id, agent.nextNotification().getString("id"));

      // Had it been pushed twice, the duplicate would come before this marker.
      String marker = unique("marker");
      orderSystem.sendText(OrderSystem.notificationFor(marker, agentId), OrderSystem.newCase());
      assertEquals(marker, agent.nextNotification().getString("id"));
    }
  }

  @Test
  void aVanishedTabDoesNotStopDeliveryToTheOthers() throws Exception {
    String pro = unique("pro");
    WsClient vanished = WsClient.signedIn(Tokens.valid(pro));
    try (WsClient survivor = WsClient.signedIn(Tokens.valid(pro))) {
      vanished.abort();
      for (int i = 0; i < 20; i++) {
        orderSystem.sendText(OrderSystem.notificationFor("wo-" + pro + "-" + i, pro), "burst");
      }
      for (int i = 0; i < 20; i++) {
        survivor.nextNotification();
      }
    }
  }

  @Test
  void aClientThatStopsReadingIsDroppedWhileTheOthersKeepUp() throws Exception {
    String pro = unique("pro");
    int count = 1000;
    // About 60 KB each, all in "data": 60 MB in all, well past what loopback TCP buffers (about
    // 10 MB at most) and the test server's outbox (256 frames) hold together.
    String big = MessageBody.ofType("t").users(pro).data("pad", "x".repeat(60_000)).json();
    try (WsClient slow = WsClient.signedIn(Tokens.valid(pro), true);
        WsClient fast = WsClient.signedIn(Tokens.valid(pro))) {
      for (int i = 0; i < count; i++) {
        orderSystem.sendText(big, "big");
      }
      for (int i = 0; i < count; i++) {
        fast.nextNotification();
      }

      // Megabytes went to a client that read none of it: the server gave up on it instead of
      // buffering the rest. Any of three guards may come first: the outbox's bound (256 frames in
      // the test server: 1013 "outbox overflow"), the stuck-send guard (a send in flight past the
      // send timeout, looked at by the heartbeat: 1013 "too slow: a frame unsent"; it is what ends
      // a session whose streams read back from the history as its outbox empties, which never
      // overflows, on a container that does not time out an asynchronous send, as Payara Server),
      // or the heartbeat itself (no pong either: 1001 "missed pongs", after three beats of the
      // suite's 5 s). 1006 when the close frame cannot get through the full buffers. Which comes
      // first depends on how fast the server takes the messages in; OutboxTest holds the bound
      // and the stuck-send guard themselves.
      slow.resumeReading();
      Closed closed = slow.awaitClose(Duration.ofSeconds(30));
      assertTrue(
          closed.code() == 1013
              || closed.code() == 1006
              || (closed.code() == 1001 && "missed pongs".equals(closed.reason())),
          closed::toString);
      assertTrue(slow.pending() < count, "the stalled client got everything: " + slow.pending());
    }
  }

  @Test
  void anAmqpProducerReachesTheBrowser() throws Exception {
    String pro = unique("pro");
    try (WsClient client = WsClient.signedIn(Tokens.valid(pro));
        var context = new JmsConnectionFactory("amqp://localhost:61616").createContext()) {
      String id = unique("amqp");
      context
          .createProducer()
          .send(context.createQueue(OrderSystem.INPUT), OrderSystem.notificationFor(id, pro));

      assertEquals(id, client.nextNotification().getString("id"));
    }
  }

  @Test
  void aStompProducerReachesTheBrowser() throws Exception {
    String pro = unique("pro");
    try (WsClient client = WsClient.signedIn(Tokens.valid(pro))) {
      // No id, as a plain STOMP producer sends it: STOMP leaves JMSMessageID empty too.
      String title = unique("stomp");
      Stomp.send(
          "persistent:true\ncontent-type:application/json\n",
          MessageBody.ofType("work-order.cancelled").users(pro).field("title", title).json());

      JsonObject notification = client.nextNotification();
      assertEquals(title, notification.getString("title"));
      assertTrue(notification.getString("id").startsWith("urn:uuid:"), notification::toString);
    }
  }

  @Test
  void aRejectedStompMessageNamesTheHeadersJmsCannotCarry() throws Exception {
    String testCase = OrderSystem.newCase();
    Stomp.send(OrderSystem.CASE + ":" + testCase + "\n", "{\"type\":\"t\"}");

    var rejected = orderSystem.rejected(testCase, WsClient.WAIT.toMillis());
    assertTrue(rejected != null, "the STOMP message was not moved to " + OrderSystem.REJECTED);
    assertEquals(
        "'to' is required and must be an object",
        rejected.getStringProperty("WaterSpoutRejectReason"));
    assertTrue(
        rejected.getStringProperty("WaterSpoutSkippedProperties").contains("destination-type"));
  }

  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
