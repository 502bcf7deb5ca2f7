package org.waterspout.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.UUID;
import javax.management.MBeanException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnector;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.waterspout.it.support.Jmx;
import org.waterspout.it.support.OrderSystem;
import org.waterspout.it.support.Server;
import org.waterspout.it.support.Tokens;
import org.waterspout.it.support.WsClient;

/** The management beans, over the same remote JMX connection an admin's JConsole would use. */
@ExtendWith(ArquillianExtension.class)
class ManagementIT {

  private static final String STRING = String.class.getName();

  @Deployment(testable = false)
  static WebArchive war() {
    return Server.builtWar();
  }

  @Test
  void sessionOperationsReachTheUsersSessions() throws Exception {
    String user = "pro-" + UUID.randomUUID();
    try (JMXConnector connector = Jmx.connect();
        WsClient tab = WsClient.signedIn(Tokens.valid(user, "field"))) {
      MBeanServerConnection jmx = connector.getMBeanServerConnection();
      ObjectName sessions = new ObjectName("org.waterspout:type=Sessions");

      assertTrue((Integer) jmx.getAttribute(sessions, "OpenSessions") >= 1);
      assertTrue((Integer) jmx.getAttribute(sessions, "UsersOnline") >= 1);
      CompositeData[] listed =
          (CompositeData[])
              jmx.invoke(sessions, "listSessions", new Object[] {user}, new String[] {STRING});
      assertEquals(1, listed.length);
      assertEquals(user, listed[0].get("user"));
      assertEquals("field", ((String[]) listed[0].get("groups"))[0]);

      Object reached =
          jmx.invoke(sessions, "sendTestNotification", new Object[] {user}, new String[] {STRING});
      assertEquals(1, reached);
      assertEquals("waterspout.test", tab.nextNotification().getString("type"));

      Object announced =
          jmx.invoke(
              sessions,
              "broadcast",
              new Object[] {"Over JMX", "hello"},
              new String[] {STRING, STRING});
      assertTrue((Integer) announced >= 1);
      assertEquals("Over JMX", tab.nextNotification().getString("title"));

      Object disconnected =
          jmx.invoke(sessions, "disconnectUser", new Object[] {user}, new String[] {STRING});
      assertEquals(1, disconnected);
      assertEquals(1000, tab.awaitClose(Duration.ofSeconds(10)).code());
    }
  }

  @Test
  void aBadArgumentIsRefusedWithItsReason() throws Exception {
    try (JMXConnector connector = Jmx.connect()) {
      MBeanServerConnection jmx = connector.getMBeanServerConnection();
      ObjectName sessions = new ObjectName("org.waterspout:type=Sessions");
      Exception refused =
          assertThrows(
              Exception.class,
              () ->
                  jmx.invoke(
                      sessions, "broadcast", new Object[] {"", ""}, new String[] {STRING, STRING}));
      // Servers wrap it differently (RuntimeMBeanException, Payara's UndeclaredThrowableException):
      // the reason is somewhere in the chain, as JConsole shows it.
      String reasons = reasons(refused);
      assertTrue(reasons.contains("title must be 1 to 200 characters"), reasons);
    }
  }

  private static String reasons(Throwable error) {
    StringBuilder reasons = new StringBuilder();
    for (Throwable t = error; t != null; ) {
      reasons.append(t).append('\n');
      Throwable next =
          t instanceof RuntimeMBeanException r
              ? r.getTargetException()
              : t instanceof MBeanException m ? m.getTargetException() : t.getCause();
      t = next == t ? null : next;
    }
    return reasons.toString();
  }

  @Test
  void notificationFiguresCountDeliveries() throws Exception {
    String user = "pro-" + UUID.randomUUID();
    try (JMXConnector connector = Jmx.connect();
        OrderSystem orderSystem = new OrderSystem();
        WsClient tab = WsClient.signedIn(Tokens.valid(user))) {
      MBeanServerConnection jmx = connector.getMBeanServerConnection();
      ObjectName notifications = new ObjectName("org.waterspout:type=Notifications");
      long delivered = (Long) jmx.getAttribute(notifications, "Delivered");
      long received = (Long) jmx.getAttribute(notifications, "Received");

      orderSystem.sendText(OrderSystem.notificationFor("jmx-" + user, user), OrderSystem.newCase());
      tab.nextNotification();

      // The server counts a frame when its send completes, which may be just after it arrived.
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                assertTrue((Long) jmx.getAttribute(notifications, "Delivered") > delivered);
                assertTrue((Long) jmx.getAttribute(notifications, "Received") > received);
              });
      double p50 = (Double) jmx.getAttribute(notifications, "DeliveryLatencyP50Millis");
      double p99 = (Double) jmx.getAttribute(notifications, "DeliveryLatencyP99Millis");
      assertTrue(p50 > 0 && p50 < 60_000, "p50 " + p50);
      assertTrue(p99 >= p50, "p99 " + p99 + " < p50 " + p50);
    }
  }
}
