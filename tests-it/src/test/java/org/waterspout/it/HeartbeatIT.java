package org.waterspout.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.waterspout.it.support.OrderSystem;
import org.waterspout.it.support.RawWebSocket;
import org.waterspout.it.support.Server;
import org.waterspout.it.support.Tokens;
import org.waterspout.it.support.WsClient;

/**
 * The server's heartbeat: it pings every authenticated session (every {@code
 * it.ping-interval-seconds} in the test servers) and closes, with 1001, one that left two pings
 * unanswered; a client that answers stays open ping after ping. The deaf client is written by hand
 * ({@link RawWebSocket}): the JDK's client and browsers always answer.
 */
@ExtendWith(ArquillianExtension.class)
class HeartbeatIT {

  private static final long INTERVAL = Long.getLong("it.ping-interval-seconds", 2);

  /** Two unanswered pings, the jittered first one and a tick or two: well within this. */
  private static final Duration CLOSED_WITHIN = Duration.ofSeconds(INTERVAL * 4 + 20);

  @Deployment(testable = false)
  static WebArchive war() {
    return Server.builtWar();
  }

  @Test
  void aClientThatStopsAnsweringPingsIsClosed() throws Exception {
    try (RawWebSocket deaf = RawWebSocket.connect(false)) {
      signIn(deaf, "pro-" + UUID.randomUUID());

      WsClient.Closed closed = deaf.closed().get(CLOSED_WITHIN.toSeconds(), TimeUnit.SECONDS);
      assertEquals(1001, closed.code(), closed::toString);
      assertEquals("missed pongs", closed.reason());
      assertTrue(deaf.pings() >= 2, "pings before the close: " + deaf.pings());
    }
  }

  @Test
  void aClientThatAnswersStaysOpenPastSeveralIntervals() throws Exception {
    String pro = "pro-" + UUID.randomUUID();
    try (RawWebSocket answering = RawWebSocket.connect(true);
        WsClient browser = WsClient.signedIn(Tokens.valid(pro));
        OrderSystem orderSystem = new OrderSystem()) {
      signIn(answering, pro);

      // Twice as many pings as it takes to close a deaf client.
      Awaitility.await("four pings, or a close")
          .atMost(CLOSED_WITHIN.multipliedBy(2))
          .until(() -> answering.pings() >= 4 || answering.closed().isDone());
      assertFalse(answering.closed().isDone(), () -> "closed: " + answering.closed().join());

      // Both still receive: the hand-written client and the JDK's, which answers by itself.
      String id = "heartbeat-" + UUID.randomUUID();
      orderSystem.sendText(OrderSystem.notificationFor(id, pro), "heartbeat");
      assertEquals(id, browser.nextNotification().getString("id"));
      assertEquals(id, nextNotification(answering).getString("id"));
      assertFalse(browser.isClosed());
    }
  }

  private static void signIn(RawWebSocket client, String user) throws Exception {
    client.sendText(
        Json.createObjectBuilder()
            .add("op", "auth")
            .add("token", Tokens.valid(user))
            .build()
            .toString());
    JsonObject welcome = parse(client.nextText(WsClient.WAIT.toSeconds()));
    assertEquals("welcome", welcome.getString("op"), welcome::toString);
    if (welcome.containsKey("seq")) {
      client.sendText("{\"op\":\"resume\",\"after\":" + welcome.getJsonNumber("seq") + "}");
    }
  }

  private static JsonObject nextNotification(RawWebSocket client) throws InterruptedException {
    JsonObject frame = parse(client.nextText(WsClient.WAIT.toSeconds()));
    assertEquals("notification", frame.getString("op"), frame::toString);
    return frame;
  }

  private static JsonObject parse(String text) {
    assertNotNull(text, "no frame within " + WsClient.WAIT);
    return Json.createReader(new StringReader(text)).readObject();
  }
}
