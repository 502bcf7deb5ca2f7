package org.waterspout.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.waterspout.it.DeliveryIT.unique;

import jakarta.jms.Message;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
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
import org.waterspout.it.support.SseStream;
import org.waterspout.it.support.SseStream.Event;
import org.waterspout.it.support.Tokens;
import org.waterspout.it.support.WsClient;

/**
 * Server-Sent Events at {@code /sse} for clients that cannot keep a WebSocket: a Bearer token or a
 * single-use ticket from {@code /api/tickets}, the same frames as the WebSocket's as events whose
 * ids are cursors to resume from, and acknowledgements over {@code POST /api/ack}.
 */
@ExtendWith(ArquillianExtension.class)
class SseIT {

  /** The test servers' ping interval, which the SSE pings follow too. */
  private static final long PING_INTERVAL = Long.getLong("it.ping-interval-seconds", 25);

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** One JMSXGroupID for the class: its messages are numbered in the order sent. */
  private static final String GROUP = unique("sse-it");

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
  void aBearerStreamGetsAUnicastAsTheWebSocketFrameWithTheCursorAfterItAsId() throws Exception {
    String pro = unique("pro");
    String token = Tokens.valid(pro);
    try (WsClient ws = WsClient.signedIn(token);
        SseStream sse = stream(token, "")) {
      assertEquals(200, sse.status());
      String type = String.valueOf(sse.header("Content-Type"));
      assertTrue(type.startsWith("text/event-stream"), type);
      String cache = String.valueOf(sse.header("Cache-Control"));
      assertTrue(cache.contains("no-cache"), cache);
      assertEquals("no", sse.header("X-Accel-Buffering"));
      assertNull(sse.header("Content-Encoding"), "a compressed stream is buffered");

      Event welcome = sse.next("welcome");
      JsonObject hello = welcome.json();
      assertEquals("welcome", hello.getString("op"), hello::toString);
      assertEquals(pro, hello.getString("user"), hello::toString);
      assertEquals(0, hello.getJsonNumber("seq").longValue(), hello::toString);
      assertEquals(0, hello.getJsonNumber("acked").longValue(), hello::toString);
      assertEquals("0", welcome.id(), "a new user's stream starts at its beginning");

      send(
          "wo",
          MessageBody.ofType("work-order.routed")
              .users(pro)
              .field("title", "New work order")
              .field("body", "Leak repair")
              .data("workOrderId", 1001));
      JsonObject frame = ws.nextNotification();
      Event event = sse.nextNotification();
      assertEquals(frame, event.json(), "the WebSocket's frame, field for field");
      assertEquals("wo", id(event.json()));
      assertEquals(1, event.json().getJsonNumber("seq").longValue());
      assertEquals("1", event.id());
    }
  }

  @Test
  void aTicketOpensOneStreamOnce() throws Exception {
    String pro = unique("pro");
    HttpResponse<String> issued = post("api/tickets", Tokens.valid(pro), null);
    assertEquals(200, issued.statusCode(), issued::body);
    JsonObject body = json(issued.body());
    String ticket = body.getString("ticket");
    assertEquals(30, body.getInt("expiresIn"), body::toString);

    try (SseStream sse = SseStream.get("sse?ticket=" + encode(ticket))) {
      assertEquals(200, sse.status());
      assertEquals(pro, sse.next("welcome").json().getString("user"));
      send("by-ticket", MessageBody.ofType("t").users(pro));
      assertEquals("by-ticket", id(sse.nextNotification().json()));

      assertRefused(SseStream.get("sse?ticket=" + encode(ticket)), "the ticket a second time");
    }
    assertRefused(SseStream.get("sse?ticket=" + encode(ticket)), "the ticket after its stream");
    assertRefused(SseStream.get("sse?ticket=" + encode(ticket + "x")), "a changed ticket");
    assertRefused(SseStream.get("sse?ticket=garbage"), "garbage");
    assertRefused(SseStream.get("sse"), "no ticket and no token");
  }

  @Test
  void refusesTicketsAndStreamsWithoutAValidToken() throws Exception {
    String pro = unique("pro");
    for (String token : List.of(Tokens.forged(pro), Tokens.expired(pro), "garbage")) {
      HttpResponse<String> issued = post("api/tickets", token, null);
      assertEquals(401, issued.statusCode(), issued::body);
      assertTrue(json(issued.body()).containsKey("error"), issued::body);
      assertRefused(stream(token, ""), "a bad token");
    }
    HttpResponse<String> anonymous = post("api/tickets", null, null);
    assertEquals(401, anonymous.statusCode(), anonymous::body);
    assertTrue(json(anonymous.body()).containsKey("error"), anonymous::body);
  }

  @Test
  void aStreamResumedWithLastEventIdGetsExactlyWhatItMissedInOrder() throws Exception {
    String pro = unique("pro");
    String token = Tokens.valid(pro);
    String last;
    try (SseStream sse = stream(token, "")) {
      sse.next("welcome");
      send("n1", MessageBody.ofType("t").users(pro));
      send("n2", MessageBody.ofType("t").users(pro));
      List<Event> seen = notifications(sse, 2);
      assertEquals(List.of("n1", "n2"), ids(seen));
      assertEquals(List.of("1", "2"), cursors(seen));
      last = seen.get(1).id();
    }
    for (int i = 3; i <= 5; i++) {
      send("n" + i, MessageBody.ofType("t").users(pro));
    }
    HistoryIT.awaitStored(token, 5);

    try (SseStream sse = stream(token, "", "Last-Event-ID", last)) {
      assertEquals(last, sse.next("welcome").id(), "starts where the last event left off");
      List<Event> missed = notifications(sse, 3);
      assertEquals(List.of("n3", "n4", "n5"), ids(missed));
      assertEquals(List.of("3", "4", "5"), cursors(missed));
      // Sent last: a second copy of any of them would come before it.
      send("marker", MessageBody.ofType("t").users(pro));
      Event marker = sse.nextNotification();
      assertEquals("marker", id(marker.json()), "nothing twice");
      assertEquals("6", marker.id());
    }
  }

  @Test
  void aStreamStartsAfterTheCursorInAfterAndLastEventIdOverridesIt() throws Exception {
    String pro = unique("pro");
    String token = Tokens.valid(pro);
    for (int i = 1; i <= 3; i++) {
      send("n" + i, MessageBody.ofType("t").users(pro));
    }
    HistoryIT.awaitStored(token, 3);

    try (SseStream sse = stream(token, "?after=1")) {
      assertEquals("1", sse.next("welcome").id());
      List<Event> after = notifications(sse, 2);
      assertEquals(List.of("n2", "n3"), ids(after));
      assertEquals(List.of("2", "3"), cursors(after));
    }
    try (SseStream sse = stream(token, "?after=0", "Last-Event-ID", "2")) {
      assertEquals("2", sse.next("welcome").id());
      assertEquals("n3", id(sse.nextNotification().json()), "Last-Event-ID comes before after");
    }
  }

  @Test
  void aGroupNotificationComesInTheGroupsStreamToItsMembersOnly() throws Exception {
    String agent = unique("agent");
    String crew = unique("crew");
    String crewStream = "group:" + crew;
    String bystander = unique("pro");
    try (SseStream member = stream(Tokens.valid(agent, crew), "");
        SseStream other = stream(Tokens.valid(bystander, unique("other")), "")) {
      Event welcome = member.next("welcome");
      JsonObject streams = welcome.json().getJsonObject("streams");
      assertEquals(0, streams.getJsonObject(crewStream).getInt("offset"), streams::toString);
      assertEquals("0;" + crewStream + "=0", welcome.id());
      other.next("welcome");

      send("g1", MessageBody.ofType("t").groups(crew));
      Event event = member.nextNotification();
      JsonObject frame = event.json();
      assertEquals("g1", id(frame));
      assertEquals(crewStream, frame.getString("stream"), frame::toString);
      assertEquals(1, frame.getJsonNumber("offset").longValue(), frame::toString);
      assertFalse(frame.containsKey("seq"), frame::toString);
      assertEquals("0;" + crewStream + "=1", event.id());

      // Sent after the member got the group's: had the bystander been given it, it came first.
      send("marker", MessageBody.ofType("t").users(bystander));
      assertEquals("marker", id(other.nextNotification().json()), "not to a non-member");
    }
  }

  @Test
  void anAckOverHttpMovesTheAcknowledgedPositionAsAWebSocketAckDoes() throws Exception {
    String pro = unique("pro");
    String token = Tokens.valid(pro);
    for (int i = 1; i <= 3; i++) {
      send("n" + i, MessageBody.ofType("t").users(pro));
    }
    HistoryIT.awaitStored(token, 3);

    HttpResponse<String> ack = post("api/ack", token, "{\"seq\":2}");
    assertEquals(204, ack.statusCode(), ack::body);
    awaitAcked(token, 2);
    try (WsClient ws = WsClient.connect()) {
      JsonObject welcome = ws.authenticate(token);
      assertEquals(2, welcome.getJsonNumber("acked").longValue(), welcome::toString);
      assertEquals("n3", id(ws.nextNotification()), "a sign-in without resume starts after it");
    }
    try (SseStream sse = stream(token, "")) {
      Event welcome = sse.next("welcome");
      assertEquals(2, welcome.json().getJsonNumber("acked").longValue(), welcome::toString);
      assertEquals("2", welcome.id(), "a stream without a cursor starts after the acknowledged");
      assertEquals("n3", id(sse.nextNotification().json()));
    }

    HttpResponse<String> ahead = post("api/ack", token, "{\"seq\":99}");
    assertEquals(409, ahead.statusCode(), ahead::body);
    JsonObject error = json(ahead.body());
    assertEquals("ack-ahead", error.getString("code"), error::toString);
    assertTrue(error.containsKey("error"), error::toString);
    awaitAcked(token, 3);
  }

  @Test
  void aGroupAckOverHttpMovesTheGroupStreamsPosition() throws Exception {
    String agent = unique("agent");
    String crew = unique("crew");
    String crewStream = "group:" + crew;
    String token = Tokens.valid(agent, crew);
    try (SseStream sse = stream(token, "")) {
      sse.next("welcome");
      send("g1", MessageBody.ofType("t").groups(crew));
      send("g2", MessageBody.ofType("t").groups(crew));
      assertEquals(List.of("g1", "g2"), ids(notifications(sse, 2)));
    }

    String body = "{\"streams\":{\"" + crewStream + "\":1}}";
    HttpResponse<String> ack = post("api/ack", token, body);
    assertEquals(204, ack.statusCode(), ack::body);
    awaitGroupAcked(token, crewStream, 1);
    try (SseStream sse = stream(token, "")) {
      assertEquals("0;" + crewStream + "=1", sse.next("welcome").id());
      Event g2 = sse.nextNotification();
      assertEquals("g2", id(g2.json()));
      assertEquals("0;" + crewStream + "=2", g2.id());
    }

    HttpResponse<String> ahead = post("api/ack", token, "{\"streams\":{\"" + crewStream + "\":9}}");
    assertEquals(409, ahead.statusCode(), ahead::body);
    assertEquals("ack-ahead", json(ahead.body()).getString("code"), ahead::body);
    awaitGroupAcked(token, crewStream, 2);
  }

  @Test
  void anAckWithABadBodyOrWithoutAValidTokenIsRefused() throws Exception {
    String pro = unique("pro");
    String token = Tokens.valid(pro);
    for (String body : List.of("{not json", "{\"seq\":\"1\"}")) {
      HttpResponse<String> bad = post("api/ack", token, body);
      assertEquals(400, bad.statusCode(), () -> body + " -> " + bad.body());
      assertTrue(json(bad.body()).containsKey("error"), bad::body);
    }
    for (String bad : new String[] {null, Tokens.forged(pro), Tokens.expired(pro)}) {
      HttpResponse<String> refused = post("api/ack", bad, "{\"seq\":0}");
      assertEquals(401, refused.statusCode(), refused::body);
      assertTrue(json(refused.body()).containsKey("error"), refused::body);
    }
  }

  /**
   * A quiet stream gets a {@code : ping} comment every ping interval ({@code
   * it.ping-interval-seconds} in the test servers), which keeps proxies from closing it.
   */
  @Test
  void aQuietStreamGetsPingComments() throws Exception {
    try (SseStream sse = stream(Tokens.valid(unique("pro")), "")) {
      sse.next("welcome");
      // Two of them, the first possibly jittered as the WebSocket's are: well within this.
      Duration within = Duration.ofSeconds(PING_INTERVAL * 3 + 10);
      Awaitility.await("two ping comments")
          .atMost(within)
          .pollInterval(Duration.ofMillis(100))
          .until(() -> sse.comments().stream().filter(c -> c.text().equals("ping")).count() >= 2);
      assertNull(sse.poll(Duration.ZERO), "pings are comments, not events");
    }
  }

  @Test
  void theStreamEndsWithATokenExpiredErrorWhenItsTokenExpires() throws Exception {
    // exp 25 s ago: still within the 30 s of tolerated clock skew, so it ends about 5 s from now.
    String token = Tokens.expiredAgo(unique("pro"), Duration.ofSeconds(25));
    try (SseStream sse = stream(token, "")) {
      assertEquals(200, sse.status());
      sse.next("welcome");
      JsonObject error = sse.next("error").json();
      assertEquals("error", error.getString("op"), error::toString);
      assertEquals("token-expired", error.getString("code"), error::toString);
      sse.awaitEnd(WsClient.WAIT);
    }
  }

  private static void assertRefused(SseStream refused, String what) throws Exception {
    try (refused) {
      assertEquals(401, refused.status(), what);
      String type = String.valueOf(refused.header("Content-Type"));
      assertFalse(type.startsWith("text/event-stream"), what + ": " + type);
      JsonObject body = refused.bodyJson();
      assertTrue(body.containsKey("error"), () -> what + ": " + body);
    }
  }

  private static SseStream stream(String token, String query, String... headers) throws Exception {
    List<String> all = new ArrayList<>(List.of("Authorization", "Bearer " + token));
    all.addAll(List.of(headers));
    return SseStream.get("sse" + query, all.toArray(String[]::new));
  }

  /** POSTs {@code json} (nothing when null), with the token as Bearer when there is one. */
  static HttpResponse<String> post(String path, String token, String json) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(Server.HTTP.resolve(path)).timeout(WsClient.WAIT);
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (json == null) {
      request.POST(HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", "application/json");
      request.POST(HttpRequest.BodyPublishers.ofString(json));
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Waits until a new WebSocket sign-in's welcome shows the user's stream acknowledged to n. */
  static void awaitAcked(String token, long n) {
    Awaitility.await("acked " + n)
        .atMost(WsClient.WAIT)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> HistoryIT.cursor(token).getJsonNumber("acked").longValue(), acked -> acked == n);
  }

  private static void awaitGroupAcked(String token, String stream, long n) {
    Awaitility.await(stream + " acked " + n)
        .atMost(WsClient.WAIT)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                HistoryIT.cursor(token)
                    .getJsonObject("streams")
                    .getJsonObject(stream)
                    .getJsonNumber("acked")
                    .longValue(),
            acked -> acked == n);
  }

  private static List<Event> notifications(SseStream sse, int count) throws InterruptedException {
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      events.add(sse.nextNotification());
    }
    return events;
  }

  private static List<String> ids(List<Event> events) {
    return events.stream().map(e -> id(e.json())).toList();
  }

  private static List<String> cursors(List<Event> events) {
    return events.stream().map(Event::id).toList();
  }

  /** The id as the test named it, without its run suffix. */
  private static String id(JsonObject frame) {
    return frame.getString("id").replaceFirst("~.*", "");
  }

  private static JsonObject json(String text) {
    return Json.createReader(new StringReader(text)).readObject();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** Sends in the class's JMSXGroupID, so the messages are numbered in the order sent. */
  private void send(String id, MessageBody body) throws Exception {
    Message message = orderSystem.context().createTextMessage(body.id(id + run).json());
    message.setStringProperty("JMSXGroupID", GROUP);
    orderSystem.send(message, OrderSystem.newCase());
  }
}
