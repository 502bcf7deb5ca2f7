package org.waterspout.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.BytesMessage;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.waterspout.it.support.OrderSystem;
import org.waterspout.it.support.Server;
import org.waterspout.it.support.Tokens;
import org.waterspout.it.support.WsClient;

/**
 * Messages that break the contract go to the rejected queue with the reason, once, and the good
 * message behind each one is still delivered.
 */
@ExtendWith(ArquillianExtension.class)
class RejectionIT {

  private static final String REASON = "WaterSpoutRejectReason";

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

  static Stream<Arguments> badTextMessages() {
    return Stream.of(
        Arguments.of("not JSON", "{\"type\": oops", "not valid JSON"),
        Arguments.of("no type", "{\"to\":{\"users\":[\"pro-1\"]}}", "'type' is required"),
        Arguments.of("no recipients", "{\"type\":\"t\",\"to\":{\"users\":[]}}", "no recipients"),
        Arguments.of("no to", "{\"type\":\"t\"}", "'to' is required"),
        Arguments.of(
            "text after the object",
            "{\"type\":\"t\",\"to\":{\"users\":[\"u\"]}} {\"type\":\"u\"}",
            "text after the object"),
        Arguments.of(
            "lone surrogate",
            "{\"type\":\"t\",\"to\":{\"users\":[\"u\"]},\"title\":\"\\ud800\"}",
            "unpaired surrogate"),
        Arguments.of(
            "too large",
            "{\"type\":\"t\",\"to\":{\"users\":[\"u\"]},\"body\":\"" + "x".repeat(70_000) + "\"}",
            "message too large"),
        Arguments.of(
            "much too large (2 MB: a large message for the broker)",
            "{\"type\":\"t\",\"to\":{\"users\":[\"u\"]},\"body\":\""
                + "x".repeat(2_000_000)
                + "\"}",
            "message too large"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badTextMessages")
  void rejectsABadTextMessageAndDeliversTheNextOne(String name, String body, String reason)
      throws Exception {
    String testCase = OrderSystem.newCase();
    String pro = DeliveryIT.unique("pro");
    try (WsClient client = WsClient.signedIn(Tokens.valid(pro))) {
      String badId = orderSystem.sendText(body, testCase);
      String good = DeliveryIT.unique("good");
      orderSystem.sendText(OrderSystem.notificationFor(good, pro), OrderSystem.newCase());

      assertEquals(good, client.nextNotification().getString("id"));
      Message rejected = assertRejected(testCase, reason);
      assertEquals(body, ((TextMessage) rejected).getText());
      assertEquals(badId, rejected.getStringProperty("WaterSpoutOriginalMessageID"));
    }
  }

  @Test
  void rejectsBytesThatAreNotUtf8() throws Exception {
    String testCase = OrderSystem.newCase();
    byte[] body = {'{', (byte) 0xFF, (byte) 0xFE, '}'};
    orderSystem.sendBytes(body, testCase);

    BytesMessage rejected = (BytesMessage) assertRejected(testCase, "not valid UTF-8");
    byte[] copy = new byte[(int) rejected.getBodyLength()];
    rejected.readBytes(copy);
    assertEquals(4, copy.length);
  }

  @Test
  void acceptsUtf8JsonSentAsBytes() throws Exception {
    String pro = DeliveryIT.unique("pro");
    try (WsClient client = WsClient.signedIn(Tokens.valid(pro))) {
      String id = DeliveryIT.unique("bytes");
      orderSystem.sendBytes(
          OrderSystem.notificationFor(id, pro).getBytes(StandardCharsets.UTF_8),
          OrderSystem.newCase());

      assertEquals(id, client.nextNotification().getString("id"));
    }
  }

  @Test
  void rejectsAMapMessageKeepingItsBody() throws Exception {
    String testCase = OrderSystem.newCase();
    MapMessage map = orderSystem.context().createMapMessage();
    map.setString("type", "work-order.routed");
    orderSystem.send(map, testCase);

    MapMessage rejected = (MapMessage) assertRejected(testCase, "unsupported message type");
    assertEquals("work-order.routed", rejected.getString("type"));
  }

  /** Exactly one rejected copy, with the reason: a redelivery loop would leave none or more. */
  private Message assertRejected(String testCase, String reason) throws Exception {
    Message rejected = orderSystem.rejected(testCase, WsClient.WAIT.toMillis());
    assertNotNull(rejected, "no message in " + OrderSystem.REJECTED + " for this test");
    String actual = rejected.getStringProperty(REASON);
    assertTrue(actual.contains(reason), () -> "reason was: " + actual);
    assertNull(orderSystem.rejected(testCase, 1000), "rejected more than once");
    return rejected;
  }
}
