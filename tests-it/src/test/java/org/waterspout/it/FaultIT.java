package org.waterspout.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.waterspout.it.DeliveryIT.unique;

import jakarta.jms.JMSConsumer;
import jakarta.jms.Message;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.waterspout.it.support.MessageBody;
import org.waterspout.it.support.OrderSystem;
import org.waterspout.it.support.Server;
import org.waterspout.it.support.ServerSetup;
import org.waterspout.it.support.Tokens;
import org.waterspout.it.support.WsClient;

/**
 * The parts WaterSpout depends on going away under it, for real: the broker killed and started
 * again (on the Payaras, whose broker is a process of its own), and the history's PostgreSQL
 * stopped for a while (on the runs on PostgreSQL). Nothing is lost, nothing comes twice, and the
 * open WebSockets stay open.
 */
@ExtendWith(ArquillianExtension.class)
class FaultIT {

  /** How long a test waits for what was held back during a fault to come through. */
  private static final Duration AFTER_FAULT = Duration.ofSeconds(120);

  @Deployment(testable = false)
  static WebArchive war() {
    return Server.builtWar();
  }

  @Test
  void theBrokerKilledAndStartedAgainLosesNoMessageAndClosesNoSocket() throws Exception {
    Assumptions.assumeTrue(ServerSetup.brokerOfItsOwn(), "WildFly's broker lives inside WildFly");
    String pro = unique("pro");
    List<String> sent = new ArrayList<>();
    try (WsClient client = WsClient.signedIn(Tokens.valid(pro))) {
      // Sent (each confirmed by the broker, persistent) right before the kill: some are taken in,
      // some wait in the journal, one may be in the middle of its transaction.
      try (OrderSystem orderSystem = new OrderSystem()) {
        for (int i = 1; i <= 20; i++) {
          sent.add(pro + "-" + i);
          send(orderSystem, pro, pro + "-" + i);
        }
      }
      Duration away = ServerSetup.killAndRestartBroker();
      System.out.println(
          "[FaultIT] broker killed and listening again after " + away.toMillis() + " ms");
      try (OrderSystem orderSystem = new OrderSystem()) {
        send(orderSystem, pro, pro + "-marker");
      }
      List<String> seen = until(client, pro + "-marker");
      sent.add(pro + "-marker");
      assertEquals(sent, seen, "each once, in the order sent");
      assertFalse(client.isClosed(), "the WebSocket stayed open");
      assertNull(client.poll(Duration.ofMillis(500)), "nothing after the marker");
    }
  }

  @Test
  void aReceiptDecidedWhileTheBrokerIsDownIsSentOnceItIsBack() throws Exception {
    Assumptions.assumeTrue(ServerSetup.brokerOfItsOwn(), "WildFly's broker lives inside WildFly");
    String pro = unique("pro");
    String id = unique("wo");
    // A queue of its own, not a temporary one: the receipt must outlive the broker's restart.
    String replies = "it.receipts." + unique("q");
    try (WsClient client = WsClient.signedIn(Tokens.valid(pro))) {
      try (OrderSystem orderSystem = new OrderSystem()) {
        Message message =
            orderSystem
                .context()
                .createTextMessage(
                    MessageBody.ofType("work-order.routed").id(id).users(pro).json());
        message.setJMSReplyTo(orderSystem.context().createQueue(replies));
        message.setJMSCorrelationID("order-" + id);
        orderSystem.send(message, OrderSystem.newCase());
      }
      long seq = client.nextNotification().getJsonNumber("seq").longValue();
      long[] back = new long[1];
      ServerSetup.killAndRestartBroker(
          () -> {
            // Acknowledged while the broker is away: delivered is decided, and the broker cannot
            // take the receipt (acks that a receipt waits for are stored within 50 ms).
            client.send("{\"op\":\"ack\",\"seq\":" + seq + "}");
            Thread.sleep(5_000);
            back[0] = System.nanoTime();
          });
      try (OrderSystem orderSystem = new OrderSystem();
          JMSConsumer receipts =
              orderSystem.context().createConsumer(orderSystem.context().createQueue(replies))) {
        Message receipt = receipts.receive(AFTER_FAULT.toMillis());
        assertNotNull(receipt, "the delivered receipt decided while the broker was down is lost");
        System.out.printf(
            "[FaultIT] a receipt decided while the broker was down came %.1f s after its restart"
                + " began%n",
            (System.nanoTime() - back[0]) / 1e9);
        assertEquals("delivered", receipt.getStringProperty("WaterSpoutReceipt"));
        assertEquals(id, receipt.getStringProperty("WaterSpoutNotificationId"));
        assertEquals("order-" + id, receipt.getJMSCorrelationID());
        assertNull(receipts.receive(3_000), "a second receipt");
      }
      assertFalse(client.isClosed(), "the WebSocket stayed open");
    }
  }

  @Test
  void theDatabaseDownForAWhileHoldsMessagesRefusesSignInsAndLosesNothing() throws Exception {
    Assumptions.assumeTrue(ServerSetup.historyOnPostgresql(), "needs the history on PostgreSQL");
    String pro = unique("pro");
    List<String> sent = new ArrayList<>();
    try (WsClient client = WsClient.signedIn(Tokens.valid(pro));
        OrderSystem orderSystem = new OrderSystem()) {
      ServerSetup.stopHistoryDatabase();
      long down = System.nanoTime();
      long back;
      try {
        for (int i = 1; i <= 3; i++) {
          sent.add(pro + "-" + i);
          send(orderSystem, pro, pro + "-" + i);
        }
        // A sign-in meanwhile is refused with a close that says why, and when to come back.
        try (WsClient late = WsClient.connect()) {
          late.send("{\"op\":\"auth\",\"token\":\"" + Tokens.valid(unique("late")) + "\"}");
          WsClient.Closed closed = late.awaitClose(WsClient.WAIT);
          assertEquals(1013, closed.code(), closed::toString);
        }
        // Down for a while: the messages wait in the queue (held by their deliveries, in order),
        // none is dead-lettered, and none is pushed before it is stored and numbered.
        assertNull(client.poll(Duration.ofSeconds(20)), "pushed while the history was down");
        assertFalse(client.isClosed(), "the open WebSocket stayed open");
      } finally {
        back = System.nanoTime();
        ServerSetup.startHistoryDatabase();
      }
      System.out.printf("[FaultIT] PostgreSQL down for %.1f s%n", (System.nanoTime() - down) / 1e9);
      sent.add(pro + "-marker");
      send(orderSystem, pro, pro + "-marker");
      assertEquals(sent, until(client, pro + "-marker"), "each once, in the order sent");
      System.out.printf(
          "[FaultIT] all delivered %.1f s after PostgreSQL was started again%n",
          (System.nanoTime() - back) / 1e9);
      assertFalse(client.isClosed(), "the WebSocket stayed open");
    }
  }

  /** One JMSXGroupID per user: its messages are taken in, and numbered, in the order sent. */
  private static void send(OrderSystem orderSystem, String user, String id) throws Exception {
    Message message =
        orderSystem
            .context()
            .createTextMessage(MessageBody.ofType("work-order.routed").id(id).users(user).json());
    message.setStringProperty("JMSXGroupID", user);
    orderSystem.send(message, OrderSystem.newCase());
  }

  /** The ids of the notifications that come, up to {@code marker}. */
  private static List<String> until(WsClient client, String marker) throws Exception {
    List<String> seen = new ArrayList<>();
    long deadline = System.nanoTime() + AFTER_FAULT.toNanos();
    while (System.nanoTime() < deadline) {
      JsonObject frame = client.poll(Duration.ofSeconds(1));
      if (frame == null || !"notification".equals(frame.getString("op"))) {
        continue;
      }
      seen.add(frame.getString("id"));
      if (frame.getString("id").equals(marker)) {
        return seen;
      }
    }
    throw new AssertionError("no " + marker + " within " + AFTER_FAULT + "; saw " + seen);
  }
}
