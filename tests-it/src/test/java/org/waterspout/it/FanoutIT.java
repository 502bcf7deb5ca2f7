package org.waterspout.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.waterspout.it.DeliveryIT.unique;

import jakarta.jms.JMSConsumer;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
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
import org.waterspout.it.support.Tokens;
import org.waterspout.it.support.WsClient;

/**
 * The fan-out topic ({@code waterspout.fanout}, on in this suite), each half on the one server
 * under test, through the real broker: what this instance numbers it publishes there, and what
 * "another instance" publishes there (this test, speaking the topic's format) this instance pushes
 * to its own sessions.
 */
@ExtendWith(ArquillianExtension.class)
class FanoutIT {

  private static final String TOPIC = "waterspout.fanout";
  private static final String ORIGIN = "WaterSpoutOrigin";

  @Deployment(testable = false)
  static WebArchive war() {
    return Server.builtWar();
  }

  private OrderSystem orderSystem;

  @BeforeEach
  void connectToBroker() {
    Assumptions.assumeFalse(
        "false".equals(System.getProperty("it.history.enabled")),
        "the fan-out carries numbered notifications: history on");
    orderSystem = new OrderSystem();
  }

  @AfterEach
  void disconnect() {
    if (orderSystem != null) {
      orderSystem.close();
    }
  }

  @Test
  void whatThisInstanceNumbersItPublishesOnTheTopic() throws Exception {
    String pro = unique("pro");
    String id = unique("fanout-out");
    try (JMSConsumer topic =
        orderSystem.context().createConsumer(orderSystem.context().createTopic(TOPIC))) {
      orderSystem.sendText(
          MessageBody.ofType("work-order.routed").id(id).users(pro).field("title", "Out").json(),
          OrderSystem.newCase());

      JsonObject published = null;
      long deadline = System.currentTimeMillis() + WsClient.WAIT.toMillis();
      Message message = null;
      while (published == null && System.currentTimeMillis() < deadline) {
        message = topic.receive(1000);
        if (message instanceof TextMessage text) {
          JsonObject json = Json.createReader(new StringReader(text.getText())).readObject();
          if (id.equals(json.getString("id", null))) {
            published = json;
          }
        }
      }
      assertNotNull(published, "not published on " + TOPIC);
      assertEquals(1, published.getInt("v"));
      assertNotNull(message.getStringProperty(ORIGIN), "no origin on the published message");
      assertEquals(
          List.of(pro),
          published.getJsonArray("users").getValuesAs(jakarta.json.JsonString::getString));
      JsonObject place = published.getJsonArray("places").getJsonObject(0);
      assertEquals("user:" + pro, place.getString("stream"));
      assertEquals(1, place.getJsonNumber("seq").longValue());
      JsonObject frame =
          Json.createReader(new StringReader(published.getString("frame"))).readObject();
      assertEquals("notification", frame.getString("op"));
      assertEquals("Out", frame.getString("title"));
      assertTrue(!published.getBoolean("receipt"), "no receipt was asked for");
    }
  }

  @Test
  void whatAnotherInstancePublishesIsPushedToThisInstancesSessions() throws Exception {
    String pro = unique("pro");
    String id = unique("fanout-in");
    try (WsClient client = WsClient.signedIn(Tokens.valid(pro))) {
      String frame =
          Json.createObjectBuilder()
              .add("op", "notification")
              .add("id", id)
              .add("type", "work-order.routed")
              .add("title", "Numbered on another instance")
              .build()
              .toString();
      String published =
          Json.createObjectBuilder()
              .add("v", 1)
              .add("id", id)
              .add("frame", frame)
              .add("expiresAt", 0)
              .add("users", Json.createArrayBuilder().add(pro))
              .add(
                  "places",
                  Json.createArrayBuilder()
                      .add(Json.createObjectBuilder().add("stream", "user:" + pro).add("seq", 1)))
              .add("receipt", false)
              .build()
              .toString();
      TextMessage message = orderSystem.context().createTextMessage(published);
      message.setStringProperty(ORIGIN, "FanoutIT-" + unique("instance"));
      orderSystem
          .context()
          .createProducer()
          .send(orderSystem.context().createTopic(TOPIC), message);

      JsonObject pushed = client.nextNotification();
      assertEquals(id, pushed.getString("id"));
      assertEquals(1, pushed.getJsonNumber("seq").longValue());
      assertEquals("Numbered on another instance", pushed.getString("title"));
    }
  }
}
