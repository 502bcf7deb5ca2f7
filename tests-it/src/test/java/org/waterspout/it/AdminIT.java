package org.waterspout.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.waterspout.it.support.Admin;
import org.waterspout.it.support.Admin.Reply;
import org.waterspout.it.support.MessageBody;
import org.waterspout.it.support.OrderSystem;
import org.waterspout.it.support.Server;
import org.waterspout.it.support.Tokens;
import org.waterspout.it.support.WsClient;
import org.waterspout.it.support.WsClient.Closed;

/** The admin page and its API: container security, live figures, and the operations. */
@ExtendWith(ArquillianExtension.class)
class AdminIT {

  @Deployment(testable = false)
  static WebArchive war() {
    return Server.builtWar();
  }

  @Test
  void onlyTheAdminRoleGetsThePageAndTheApi() throws Exception {
    for (String path : new String[] {"admin/", "admin/admin.js", "api/admin/overview"}) {
      assertEquals(401, Admin.ANONYMOUS.get(path).status(), path + " without credentials");
      assertEquals(403, Admin.NON_ADMIN.get(path).status(), path + " as a user without the role");
      assertEquals(200, Admin.ADMIN.get(path).status(), path + " as an admin");
    }
    assertTrue(Admin.ADMIN.get("admin/").body().contains("WaterSpout admin"));
    assertEquals(
        403, Admin.NON_ADMIN.post("api/admin/announcements", "{\"title\":\"x\"}").status());
    assertEquals(401, Admin.ANONYMOUS.delete("api/admin/users/someone/sessions").status());
  }

  @Test
  void noSpellingOfTheApiPathGetsPastTheRole() throws Exception {
    for (String path :
        new String[] {
          "api//admin/overview",
          "api/./admin/overview",
          "api/admin/./overview",
          "api/x/../admin/overview",
          "api/admin;x=y/overview",
          "api/%61dmin/overview",
          "API/admin/overview"
        }) {
      for (Admin who : new Admin[] {Admin.ANONYMOUS, Admin.NON_ADMIN}) {
        Reply reply = who.getRaw(path);
        assertTrue(
            reply.status() != 200 && !reply.body().contains("openSessions"),
            () -> path + " answered " + reply.status() + ": " + reply.body());
      }
    }
  }

  @Test
  void figuresFollowWhatHappens() throws Exception {
    String user = unique("pro");
    JsonObject before = Admin.ADMIN.get("api/admin/overview").json();
    try (OrderSystem orderSystem = new OrderSystem();
        WsClient tab1 = WsClient.signedIn(Tokens.valid(user));
        WsClient tab2 = WsClient.signedIn(Tokens.valid(user))) {
      orderSystem.sendText(
          MessageBody.ofType("work-order.routed").users(user).json(), OrderSystem.newCase());
      tab1.nextNotification();
      tab2.nextNotification();
      orderSystem.sendText("not json", OrderSystem.newCase());

      JsonObject after = awaitRejectedAbove(before.getJsonNumber("rejected").longValue());
      assertTrue(after.getInt("openSessions") >= 2, after::toString);
      assertTrue(after.getInt("usersOnline") >= 1, after::toString);
      assertTrue(count(after, "received") >= count(before, "received") + 2, after::toString);
      assertTrue(count(after, "delivered") >= count(before, "delivered") + 2, after::toString);
      assertTrue(
          after.getJsonObject("latencyMillis").getJsonNumber("p50").doubleValue() > 0,
          after::toString);
      assertTrue(
          after.getJsonObject("frameBytes").getJsonNumber("p50").longValue() > 0, after::toString);
      assertEquals(System.getProperty("it.admin.user"), after.getString("admin"));
    }
  }

  @Test
  void anAdminListsTestsAnnouncesAndDisconnects() throws Exception {
    String user = unique("pro");
    try (WsClient tab1 = WsClient.signedIn(Tokens.valid(user, "field"));
        WsClient tab2 = WsClient.signedIn(Tokens.valid(user))) {
      JsonObject sessions = Admin.ADMIN.get("api/admin/users/" + user + "/sessions").json();
      assertEquals(2, sessions.getJsonArray("sessions").size(), sessions::toString);

      Reply test = Admin.ADMIN.post("api/admin/users/" + user + "/test-notification", "{}");
      assertEquals(200, test.status(), test::body);
      assertEquals(2, test.json().getInt("reached"));
      assertEquals("waterspout.test", tab1.nextNotification().getString("type"));
      assertEquals("waterspout.test", tab2.nextNotification().getString("type"));

      Reply announced =
          Admin.ADMIN.post(
              "api/admin/announcements", "{\"title\":\"Maintenance at 22:00\",\"body\":\"5 min\"}");
      assertEquals(200, announced.status(), announced::body);
      assertTrue(announced.json().getInt("reached") >= 2);
      JsonObject announcement = tab1.nextNotification();
      assertEquals("waterspout.announcement", announcement.getString("type"));
      assertEquals("Maintenance at 22:00", announcement.getString("title"));

      Reply disconnected = Admin.ADMIN.delete("api/admin/users/" + user + "/sessions");
      assertEquals(2, disconnected.json().getInt("disconnected"), disconnected::body);
      Closed closed = tab1.awaitClose(Duration.ofSeconds(10));
      assertEquals(1000, closed.code(), closed::toString);
      assertEquals(1000, tab2.awaitClose(Duration.ofSeconds(10)).code());
    }
  }

  @Test
  void badRequestsGetAClearError() throws Exception {
    Reply noTitle = Admin.ADMIN.post("api/admin/announcements", "{\"body\":\"no title\"}");
    assertEquals(400, noTitle.status(), noTitle::body);
    assertTrue(noTitle.json().getString("error").contains("title"), noTitle::body);

    Reply notJson = Admin.ADMIN.post("api/admin/announcements", "{\"title\":");
    assertEquals(400, notJson.status(), notJson::body);

    Reply badUser = Admin.ADMIN.get("api/admin/users/a%20b/sessions");
    assertEquals(400, badUser.status(), badUser::body);
  }

  @Test
  void metricsAreInPrometheusFormatWithHistograms() throws Exception {
    String user = unique("pro");
    try (OrderSystem orderSystem = new OrderSystem();
        WsClient tab = WsClient.signedIn(Tokens.valid(user))) {
      orderSystem.sendText(
          MessageBody.ofType("work-order.routed").users(user).json(), OrderSystem.newCase());
      tab.nextNotification();
    }
    // The frame is counted when its send completes, which may be just after it arrived.
    Reply metrics =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () -> Admin.ANONYMOUS.get("metrics"),
                m -> sample(m.body(), "waterspout_delivery_latency_seconds_count") >= 1);
    assertEquals(200, metrics.status());
    assertTrue(metrics.contentType().startsWith("text/plain"), metrics::contentType);
    for (String line :
        new String[] {
          "# TYPE waterspout_sessions_open gauge",
          "# TYPE waterspout_notifications_delivered_total counter",
          "# TYPE waterspout_delivery_latency_seconds histogram",
          "waterspout_delivery_latency_seconds_bucket{le=\"0.01\"} ",
          "waterspout_delivery_latency_seconds_sum ",
          "# TYPE waterspout_notification_frame_bytes histogram",
          "waterspout_notification_frame_bytes_bucket{le=\"1024.0\"} ",
          "waterspout_messages_rejected_total "
        }) {
      assertTrue(metrics.body().contains(line), () -> line + " missing from\n" + metrics.body());
    }
    String body = metrics.body();
    for (String histogram :
        new String[] {
          "waterspout_delivery_latency_seconds", "waterspout_notification_frame_bytes"
        }) {
      assertEquals(
          sample(body, histogram + "_count"),
          sample(body, histogram + "_bucket{le=\"+Inf\"}"),
          () -> histogram + ": +Inf bucket and count differ in\n" + body);
      assertTrue(sample(body, histogram + "_count") >= 1, body);
    }
    assertFalse(body.contains("quantile="), () -> "a summary in\n" + body);
  }

  @Test
  void metricsInOpenMetricsWhenTheScraperAsksForIt() throws Exception {
    Reply metrics = Admin.ANONYMOUS.get("metrics", "application/openmetrics-text; version=1.0.0");
    assertEquals(200, metrics.status());
    assertTrue(
        metrics.contentType().startsWith("application/openmetrics-text"), metrics::contentType);
    assertTrue(metrics.body().contains("# TYPE waterspout_notifications_delivered counter"));
    assertTrue(metrics.body().endsWith("# EOF\n"), metrics::body);
  }

  @Test
  void healthSaysTheBrokerAndTheEndpointAreReady() throws Exception {
    Reply health = Admin.getUrl(System.getProperty("it.health.url"));
    assertEquals(200, health.status(), health::body);
    JsonObject json = health.json();
    assertEquals("UP", json.getString("status"), health::body);
    assertTrue(health.body().contains("waterspout-broker"), health::body);
    assertTrue(health.body().contains("waterspout-websocket"), health::body);
  }

  private static JsonObject awaitRejectedAbove(long before) {
    return await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> Admin.ADMIN.get("api/admin/overview").json(), o -> count(o, "rejected") > before);
  }

  /** The value of the sample named exactly so (with its labels), or -1 if there is none. */
  private static double sample(String metrics, String name) {
    for (String line : metrics.split("\n")) {
      if (line.startsWith(name + " ")) {
        return Double.parseDouble(line.substring(name.length() + 1).trim());
      }
    }
    return -1;
  }

  private static long count(JsonObject overview, String name) {
    return overview.getJsonNumber(name).longValue();
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID();
  }
}
