package org.waterspout.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.waterspout.it.DeliveryIT.unique;

import jakarta.jms.Message;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
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
import org.waterspout.it.support.Tokens;
import org.waterspout.it.support.WsClient;

/**
 * Polling at {@code /api/notifications} for clients that can neither keep a WebSocket nor read a
 * stream: the frames after a cursor at once ({@code wait=0}) or as soon as one comes (a long poll),
 * with the cursor after them in {@code WaterSpout-Cursor}.
 */
@ExtendWith(ArquillianExtension.class)
class PollingIT {

  private static final String CURSOR = "WaterSpout-Cursor";

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** One JMSXGroupID for the class: its messages are numbered in the order sent. */
  private static final String GROUP = unique("polling-it");

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
  void aShortPollWithNothingNewAnswers204AtOnce() throws Exception {
    String token = Tokens.valid(unique("pro"));
    for (String query : List.of("wait=0", "after=0&wait=0")) {
      long start = System.nanoTime();
      HttpResponse<String> none = poll(token, query);
      Duration took = since(start);
      assertEquals(204, none.statusCode(), () -> query + " -> " + none.body());
      assertEquals("0", cursor(none), query);
      // Not a tight bound (the machine may be loaded): far below any wait that was not 0.
      assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, () -> query + " took " + took);
    }
  }

  @Test
  void aPollReturnsWhatCameAfterTheCursorInOrderWithTheCursorAfterIt() throws Exception {
    String pro = unique("pro");
    String token = Tokens.valid(pro);
    for (int i = 1; i <= 3; i++) {
      send("n" + i, MessageBody.ofType("t").users(pro));
    }
    HistoryIT.awaitStored(token, 3);

    HttpResponse<String> answer = poll(token, "after=0&wait=0");
    List<JsonObject> frames = frames(answer);
    assertEquals(List.of("n1", "n2", "n3"), ids(frames));
    assertEquals(List.of(1L, 2L, 3L), seqs(frames));
    assertEquals("3", cursor(answer));
    try (WsClient ws = HistoryIT.resumed(token, 0)) {
      assertEquals(HistoryIT.frames(ws, 3), frames, "the WebSocket's frames, field for field");
    }

    HttpResponse<String> later = poll(token, "after=1&wait=0");
    assertEquals(List.of("n2", "n3"), ids(frames(later)));
    assertEquals("3", cursor(later));

    HttpResponse<String> none = poll(token, "after=" + cursor(answer) + "&wait=0");
    assertEquals(204, none.statusCode(), none::body);
    assertEquals("3", cursor(none), "unchanged");
  }

  @Test
  void aLongPollIsAnsweredAsSoonAsANotificationComes() throws Exception {
    String pro = unique("pro");
    String token = Tokens.valid(pro);
    long start = System.nanoTime();
    CompletableFuture<HttpResponse<String>> answer =
        HTTP.sendAsync(request(token, "after=0&wait=20"), HttpResponse.BodyHandlers.ofString());
    assertThrows(
        TimeoutException.class,
        () -> answer.get(1, TimeUnit.SECONDS),
        "answered before anything was sent");

    send("n1", MessageBody.ofType("t").users(pro));
    HttpResponse<String> response = answer.get(WsClient.WAIT.toSeconds(), TimeUnit.SECONDS);
    Duration took = since(start);
    assertEquals(List.of("n1"), ids(frames(response)));
    assertEquals("1", cursor(response));
    // Well before the 20 s wait, without a tight bound.
    assertTrue(took.compareTo(Duration.ofSeconds(15)) < 0, () -> "answered after " + took);
  }

  @Test
  void aLongPollWithNothingNewAnswers204WhenTheWaitRunsOut() throws Exception {
    String token = Tokens.valid(unique("pro"));
    long start = System.nanoTime();
    HttpResponse<String> none = poll(token, "after=0&wait=2");
    Duration took = since(start);
    assertEquals(204, none.statusCode(), none::body);
    assertEquals("0", cursor(none));
    // The server's timer may tick a little early; not seconds early.
    assertTrue(took.compareTo(Duration.ofMillis(1500)) >= 0, () -> "answered after " + took);
  }

  @Test
  void aCursorOfTheUsersAndAGroupsStreamsRoundTripsWithoutDuplicates() throws Exception {
    String agent = unique("agent");
    String crew = unique("crew");
    String crewStream = "group:" + crew;
    String token = Tokens.valid(agent, crew);
    // Without after: where the user stands, the group followed from its head.
    HttpResponse<String> start = poll(token, "wait=0");
    assertEquals(204, start.statusCode(), start::body);
    assertEquals("0;" + crewStream + "=0", cursor(start));

    send("u1", MessageBody.ofType("t").users(agent));
    send("g1", MessageBody.ofType("t").groups(crew));
    send("u2", MessageBody.ofType("t").users(agent));
    send("g2", MessageBody.ofType("t").groups(crew));
    HistoryIT.awaitStored(token, 2);
    HistoryIT.awaitStream(token, crewStream, 2);
    HttpResponse<String> first = poll(token, "after=" + encode(cursor(start)) + "&wait=0");
    List<JsonObject> frames = frames(first);
    // In order within each stream; the two streams side by side.
    List<JsonObject> own = frames.stream().filter(f -> !f.containsKey("stream")).toList();
    List<JsonObject> group = frames.stream().filter(f -> f.containsKey("stream")).toList();
    assertEquals(List.of("u1", "u2"), ids(own));
    assertEquals(List.of(1L, 2L), seqs(own));
    assertEquals(List.of("g1", "g2"), ids(group));
    assertEquals(List.of(1L, 2L), offsets(group));
    assertEquals(4, frames.size(), frames::toString);
    assertEquals("2;" + crewStream + "=2", cursor(first));

    send("u3", MessageBody.ofType("t").users(agent));
    send("g3", MessageBody.ofType("t").groups(crew));
    HistoryIT.awaitStored(token, 3);
    HistoryIT.awaitStream(token, crewStream, 3);
    HttpResponse<String> second = poll(token, "after=" + encode(cursor(first)) + "&wait=0");
    List<JsonObject> more = frames(second);
    assertEquals(
        List.of("g3", "u3"), ids(more).stream().sorted().toList(), "only the new ones: " + more);
    assertEquals("3;" + crewStream + "=3", cursor(second));
    HttpResponse<String> none = poll(token, "after=" + encode(cursor(second)) + "&wait=0");
    assertEquals(204, none.statusCode(), none::body);
    assertEquals(cursor(second), cursor(none));

    // A bare number: the group's stream after what the user acknowledged in it (nothing yet).
    HttpResponse<String> bare = poll(token, "after=0&wait=0");
    List<JsonObject> all = frames(bare);
    assertEquals(
        List.of(1L, 2L, 3L), seqs(all.stream().filter(f -> !f.containsKey("stream")).toList()));
    assertEquals(
        List.of(1L, 2L, 3L), offsets(all.stream().filter(f -> f.containsKey("stream")).toList()));
    assertEquals("3;" + crewStream + "=3", cursor(bare));
  }

  @Test
  void aGroupNameOutsideTheSafeCharactersIsPercentEncodedInTheCursor() throws Exception {
    String agent = unique("agent");
    // The cursor's own separators, a slash, a plus, a percent sign and a letter beyond ASCII.
    String crew = "crew;" + unique("x") + "=a/b+c%d\u00e9";
    String crewStream = "group:" + crew;
    String encoded =
        "group:crew%3B" + crew.substring(5, crew.indexOf('=')) + "%3Da%2Fb%2Bc%25d%C3%A9";
    String token = Tokens.valid(agent, crew);
    HttpResponse<String> start = poll(token, "wait=0");
    assertEquals(204, start.statusCode(), start::body);
    assertEquals("0;" + encoded + "=0", upperHex(cursor(start)));

    send("g1", MessageBody.ofType("t").groups(crew));
    HistoryIT.awaitStream(token, crewStream, 1);
    HttpResponse<String> first = poll(token, "after=" + encode(cursor(start)) + "&wait=0");
    List<JsonObject> frames = frames(first);
    assertEquals(List.of("g1"), ids(frames));
    assertEquals(crewStream, frames.get(0).getString("stream"), "the name itself in the frame");
    assertEquals("0;" + encoded + "=1", upperHex(cursor(first)));
    HttpResponse<String> none = poll(token, "after=" + encode(cursor(first)) + "&wait=0");
    assertEquals(204, none.statusCode(), none::body);
  }

  @Test
  void withoutAfterAPollStartsAfterTheAcknowledged() throws Exception {
    String pro = unique("pro");
    String token = Tokens.valid(pro);
    for (int i = 1; i <= 3; i++) {
      send("n" + i, MessageBody.ofType("t").users(pro));
    }
    HistoryIT.awaitStored(token, 3);
    HttpResponse<String> ack = SseIT.post("api/ack", token, "{\"seq\":2}");
    assertEquals(204, ack.statusCode(), ack::body);
    SseIT.awaitAcked(token, 2);

    HttpResponse<String> answer = poll(token, "wait=0");
    assertEquals(List.of("n3"), ids(frames(answer)));
    assertEquals("3", cursor(answer));
  }

  @Test
  void aPollFromBeforeWhatRetentionDroppedStartsWithAGap() throws Exception {
    String pro = unique("pro");
    String token = Tokens.valid(pro);
    int kept = Integer.getInteger("it.history.max-per-user");
    int count = kept + 5;
    for (int i = 1; i <= count; i++) {
      send("n" + i, MessageBody.ofType("t").users(pro));
    }
    HistoryIT.awaitStored(token, count);
    // Retention may run while the last ones are still coming in: wait for its pass after them.
    HttpResponse<String> answer =
        Awaitility.await("a gap up to " + (count - kept))
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(500))
            .until(
                () -> poll(token, "after=0&wait=0"),
                r -> {
                  JsonObject head = frames(r).get(0);
                  return "gap".equals(head.getString("op"))
                      && head.getJsonNumber("to").longValue() == count - kept;
                });
    List<JsonObject> frames = frames(answer);
    assertEquals(1, frames.get(0).getJsonNumber("from").longValue(), frames.get(0)::toString);
    List<JsonObject> rest = frames.subList(1, frames.size());
    assertEquals(LongStream.rangeClosed(count - kept + 1, count).boxed().toList(), seqs(rest));
    assertEquals(String.valueOf(count), cursor(answer));
  }

  @Test
  void refusesAPollWithoutAValidTokenOrWithABadCursorOrWait() throws Exception {
    String pro = unique("pro");
    for (String token : new String[] {null, Tokens.forged(pro), Tokens.expired(pro)}) {
      HttpResponse<String> refused = poll(token, "after=0&wait=0");
      assertEquals(401, refused.statusCode(), refused::body);
      assertTrue(json(refused.body()).containsKey("error"), refused::body);
    }
    String token = Tokens.valid(pro);
    for (String query :
        List.of("after=abc&wait=0", "after=-1&wait=0", "after=0&wait=-1", "after=0&wait=61")) {
      HttpResponse<String> bad = poll(token, query);
      assertEquals(400, bad.statusCode(), () -> query + " -> " + bad.body());
      assertTrue(json(bad.body()).containsKey("error"), () -> query + " -> " + bad.body());
    }
  }

  private static HttpRequest request(String token, String query) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(Server.HTTP.resolve("api/notifications?" + query))
            // Longer than the longest wait the contract allows (60 s).
            .timeout(Duration.ofSeconds(75))
            .GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return request.build();
  }

  private static HttpResponse<String> poll(String token, String query) throws Exception {
    return HTTP.send(request(token, query), HttpResponse.BodyHandlers.ofString());
  }

  private static String cursor(HttpResponse<String> response) {
    return response
        .headers()
        .firstValue(CURSOR)
        .orElseGet(() -> fail("no " + CURSOR + " header: " + response.statusCode()));
  }

  /** The frames of a 200 answer, in order. */
  private static List<JsonObject> frames(HttpResponse<String> response) {
    assertEquals(200, response.statusCode(), response::body);
    String type = response.headers().firstValue("Content-Type").orElse("");
    assertTrue(type.startsWith("application/json"), type);
    return Json.createReader(new StringReader(response.body())).readArray().stream()
        .map(JsonValue::asJsonObject)
        .toList();
  }

  /** The ids as the test named them, without the run suffix. */
  private static List<String> ids(List<JsonObject> frames) {
    return frames.stream().map(f -> f.getString("id").replaceFirst("~.*", "")).toList();
  }

  private static List<Long> seqs(List<JsonObject> frames) {
    return frames.stream().map(f -> f.getJsonNumber("seq").longValue()).toList();
  }

  private static List<Long> offsets(List<JsonObject> frames) {
    return frames.stream().map(f -> f.getJsonNumber("offset").longValue()).toList();
  }

  private static JsonObject json(String text) {
    return Json.createReader(new StringReader(text)).readObject();
  }

  /** A cursor as a query parameter's value. */
  private static String encode(String cursor) {
    return URLEncoder.encode(cursor, StandardCharsets.UTF_8);
  }

  /** Percent-escapes with upper-case hex digits: {@code %c3} and {@code %C3} are the same byte. */
  private static String upperHex(String cursor) {
    Matcher escape = Pattern.compile("%[0-9a-fA-F]{2}").matcher(cursor);
    return escape.replaceAll(m -> m.group().toUpperCase(Locale.ROOT));
  }

  private static Duration since(long start) {
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /** Sends in the class's JMSXGroupID, so the messages are numbered in the order sent. */
  private void send(String id, MessageBody body) throws Exception {
    Message message = orderSystem.context().createTextMessage(body.id(id + run).json());
    message.setStringProperty("JMSXGroupID", GROUP);
    orderSystem.send(message, OrderSystem.newCase());
  }
}
