package org.waterspout.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.waterspout.it.DeliveryIT.unique;

import jakarta.jms.JMSConsumer;
import jakarta.jms.Message;
import jakarta.jms.Queue;
import jakarta.jms.TextMessage;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.util.List;
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
import org.waterspout.it.support.Tokens;
import org.waterspout.it.support.WsClient;

/** Receipts to the order system's JMSReplyTo: delivered after the acks, unseen after the time. */
@ExtendWith(ArquillianExtension.class)
class ReceiptIT {

  @Deployment(testable = false)
  static WebArchive war() {
    return Server.builtWar();
  }

  private OrderSystem orderSystem;
  private Queue replies;
  private JMSConsumer receipts;

  @BeforeEach
  void connectToBroker() {
    orderSystem = new OrderSystem();
    replies = orderSystem.context().createTemporaryQueue();
    receipts = orderSystem.context().createConsumer(replies);
  }

  @AfterEach
  void disconnect() {
    if (orderSystem != null) {
      receipts.close();
      orderSystem.close();
    }
  }

  @Test
  void deliveredOnceEveryRecipientAcknowledged() throws Exception {
    String pro = unique("pro");
    String agent = unique("agent");
    String team = unique("team");
    String id = unique("wo");
    try (WsClient proTab = WsClient.signedIn(Tokens.valid(pro));
        WsClient agentTab = WsClient.signedIn(Tokens.valid(agent, team))) {
      Message message =
          orderSystem
              .context()
              .createTextMessage(MessageBody.ofType("t").id(id).users(pro).groups(team).json());
      message.setJMSReplyTo(replies);
      message.setJMSCorrelationID("order-4711");
      orderSystem.send(message, OrderSystem.newCase());

      long proSeq = proTab.nextNotification().getJsonNumber("seq").longValue();
      JsonObject agentFrame = agentTab.nextNotification();
      // The agent gets it through the team: in the team's stream, with its offset there.
      assertEquals("group:" + team, agentFrame.getString("stream"), agentFrame::toString);
      long agentOffset = agentFrame.getJsonNumber("offset").longValue();
      proTab.send("{\"op\":\"ack\",\"seq\":" + proSeq + "}");
      // One recipient of two: no receipt yet.
      assertNull(receipts.receive(1000));
      agentTab.send("{\"op\":\"ack\",\"streams\":{\"group:" + team + "\":" + agentOffset + "}}");

      Message receipt = receipts.receive(WsClient.WAIT.toMillis());
      assertNotNull(receipt, "no receipt");
      assertEquals("order-4711", receipt.getJMSCorrelationID());
      assertEquals("delivered", receipt.getStringProperty("WaterSpoutReceipt"));
      JsonObject body = json(receipt);
      assertEquals("delivered", body.getString("receipt"));
      assertEquals(id, body.getString("id"));
      assertEquals(List.of(pro), strings(body.getJsonObject("seen"), "users"));
      assertEquals(List.of(team), strings(body.getJsonObject("seen"), "groups"));
      assertEquals(List.of(), strings(body.getJsonObject("unseen"), "users"));
      assertNull(receipts.receive(1000), "a second receipt");
    }
  }

  @Test
  void unseenWhenNobodyAcknowledgedInTimeThenDeliveredWhenTheyDo() throws Exception {
    String pro = unique("pro");
    String id = unique("wo");
    Message message =
        orderSystem.context().createTextMessage(MessageBody.ofType("t").id(id).users(pro).json());
    message.setJMSReplyTo(replies);
    String messageId = orderSystem.send(message, OrderSystem.newCase());

    // The test server's time is a few seconds; nobody is online.
    Message unseen = receipts.receive(WsClient.WAIT.toMillis());
    assertNotNull(unseen, "no unseen receipt");
    assertEquals("unseen", unseen.getStringProperty("WaterSpoutReceipt"));
    // No JMSCorrelationID on the message: the receipt carries its JMSMessageID.
    assertEquals(messageId, unseen.getJMSCorrelationID());
    JsonObject body = json(unseen);
    assertEquals(List.of(pro), strings(body.getJsonObject("unseen"), "users"));
    assertEquals(List.of(), strings(body.getJsonObject("seen"), "users"));

    // Signed in without resume: the unacknowledged notification comes first.
    try (WsClient late = WsClient.connect()) {
      assertEquals("welcome", late.authenticate(Tokens.valid(pro)).getString("op"));
      JsonObject notification = late.nextNotification();
      assertEquals(id, notification.getString("id"));
      late.send("{\"op\":\"ack\",\"seq\":" + notification.getJsonNumber("seq") + "}");
      Message delivered = receipts.receive(WsClient.WAIT.toMillis());
      assertNotNull(delivered, "no delivered receipt after the late ack");
      assertEquals("delivered", delivered.getStringProperty("WaterSpoutReceipt"));
    }
  }

  @Test
  void aMemberWhoJoinedAfterAGroupNotificationDoesNotDeliverItByAcknowledgingALaterOne()
      throws Exception {
    String team = unique("team");
    String early = unique("wo-early");
    // A member that is shown the early one and never acknowledges it.
    try (WsClient watcher = WsClient.signedIn(Tokens.valid(unique("agent"), team))) {
      Message before =
          orderSystem
              .context()
              .createTextMessage(MessageBody.ofType("t").id(early).groups(team).json());
      before.setJMSReplyTo(replies);
      before.setJMSCorrelationID(early);
      orderSystem.send(before, OrderSystem.newCase());
      assertEquals(early, watcher.nextNotification().getString("id"));

      // A member that signs in for the first time after it starts at the team's head, past it.
      try (WsClient member = WsClient.signedIn(Tokens.valid(unique("agent"), team))) {
        String later = unique("wo-later");
        orderSystem.send(
            orderSystem
                .context()
                .createTextMessage(MessageBody.ofType("t").id(later).groups(team).json()),
            OrderSystem.newCase());
        JsonObject frame = member.nextNotification();
        assertEquals(later, frame.getString("id"), "the earlier one is not shown: " + frame);
        member.send(
            "{\"op\":\"ack\",\"streams\":{\"group:"
                + team
                + "\":"
                + frame.getJsonNumber("offset")
                + "}}");

        // Its ack covers only what it was given: the earlier one stays unseen.
        Message receipt = receipts.receive(WsClient.WAIT.toMillis());
        assertNotNull(receipt, "no receipt for the earlier notification");
        assertEquals(early, receipt.getJMSCorrelationID());
        assertEquals(
            "unseen", receipt.getStringProperty("WaterSpoutReceipt"), json(receipt)::toString);
      }
    }
  }

  private static JsonObject json(Message message) throws Exception {
    String text = ((TextMessage) message).getText();
    return Json.createReader(new StringReader(text)).readObject();
  }

  private static List<String> strings(JsonObject object, String field) {
    return object.getJsonArray(field).getValuesAs(jakarta.json.JsonString.class).stream()
        .map(jakarta.json.JsonString::getString)
        .toList();
  }
}
