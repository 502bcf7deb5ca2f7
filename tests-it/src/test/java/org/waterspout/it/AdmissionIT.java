package org.waterspout.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import javax.management.Attribute;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.waterspout.it.support.Admin;
import org.waterspout.it.support.Admin.Reply;
import org.waterspout.it.support.Jmx;
import org.waterspout.it.support.OrderSystem;
import org.waterspout.it.support.Server;
import org.waterspout.it.support.Tokens;
import org.waterspout.it.support.WsClient;

/**
 * Self-protection: past the session limit a handshake is refused with 503 and Retry-After before
 * the upgrade, the sessions already open keep receiving, readiness says "at capacity" (liveness
 * stays up), and once a session closes new ones are taken again. The limit is set for this test
 * only, over JMX as an admin would, and put back afterwards, so the other tests keep theirs.
 */
@ExtendWith(ArquillianExtension.class)
class AdmissionIT {

  private static final ObjectName SESSIONS = name("org.waterspout:type=Sessions");

  @Deployment(testable = false)
  static WebArchive war() {
    return Server.builtWar();
  }

  @Test
  void pastTheLimitHandshakesAreRefusedWhileOpenSessionsKeepReceiving() throws Exception {
    String pro = "pro-" + UUID.randomUUID();
    List<WsClient> admitted = new ArrayList<>();
    try (JMXConnector connector = Jmx.connect();
        OrderSystem orderSystem = new OrderSystem()) {
      MBeanServerConnection jmx = connector.getMBeanServerConnection();
      int limitBefore = (Integer) jmx.getAttribute(SESSIONS, "MaxSessions");
      int countedBefore = (Integer) jmx.getAttribute(SESSIONS, "AdmittedSessions");
      long refusedBefore = (Long) jmx.getAttribute(SESSIONS, "RefusedAtCapacity");
      try {
        jmx.setAttribute(SESSIONS, new Attribute("MaxSessions", countedBefore + 3));

        // Sockets of earlier tests may still be closing, which frees slots: sign in until refused.
        WebSocketHandshakeException refused = null;
        while (refused == null) {
          assertTrue(admitted.size() < 20, "never refused: " + admitted.size() + " admitted");
          try {
            admitted.add(WsClient.signedIn(Tokens.valid(pro)));
          } catch (ExecutionException e) {
            refused = handshakeRefusal(e);
          }
        }
        assertEquals(503, refused.getResponse().statusCode());
        int retryAfter =
            Integer.parseInt(refused.getResponse().headers().firstValue("Retry-After").orElse("0"));
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
        assertTrue(admitted.size() >= 3, "admitted " + admitted.size());

        String id = "at-capacity-" + UUID.randomUUID();
        orderSystem.sendText(OrderSystem.notificationFor(id, pro), "admission");
        for (WsClient client : admitted) {
          assertEquals(id, client.nextNotification().getString("id"));
        }

        Reply ready = Admin.getUrl(health("ready"));
        assertEquals(503, ready.status(), ready::body);
        assertTrue(ready.body().contains("at capacity"), ready::body);
        Reply live = Admin.getUrl(health("live"));
        assertEquals(200, live.status(), live::body);
        assertTrue((Long) jmx.getAttribute(SESSIONS, "RefusedAtCapacity") > refusedBefore);
        Reply metrics = Admin.getUrl(Server.HTTP + "metrics");
        assertTrue(
            metrics.body().contains("waterspout_handshakes_refused_total{reason=\"capacity\""),
            metrics::body);
        JsonObject overview = Admin.ADMIN.get("api/admin/overview").json();
        assertTrue(
            overview.getJsonObject("admission").getInt("refusedCapacity") > refusedBefore,
            overview::toString);

        admitted.remove(0).close();
        WsClient again =
            await("a sign-in once a session closed")
                .atMost(WsClient.WAIT)
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptionsInstanceOf(ExecutionException.class)
                .until(() -> WsClient.signedIn(Tokens.valid(pro)), client -> true);
        admitted.add(again);
      } finally {
        jmx.setAttribute(SESSIONS, new Attribute("MaxSessions", limitBefore));
        admitted.forEach(WsClient::close);
      }
      // Every socket gave its slot back: nothing leaked.
      await("the count back where it was")
          .atMost(WsClient.WAIT)
          .until(() -> (Integer) jmx.getAttribute(SESSIONS, "AdmittedSessions") <= countedBefore);
      Reply ready = Admin.getUrl(health("ready"));
      assertEquals(200, ready.status(), ready::body);
    }
  }

  private static WebSocketHandshakeException handshakeRefusal(ExecutionException e)
      throws ExecutionException {
    if (e.getCause() instanceof WebSocketHandshakeException refusal) {
      return refusal;
    }
    throw e;
  }

  /** The server's health endpoint {@code ready} or {@code live} (it.health.url names one). */
  private static String health(String which) {
    String url = System.getProperty("it.health.url");
    String base = url.endsWith("/ready") ? url.substring(0, url.length() - "/ready".length()) : url;
    return base + "/" + which;
  }

  private static ObjectName name(String name) {
    try {
      return new ObjectName(name);
    } catch (javax.management.MalformedObjectNameException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
