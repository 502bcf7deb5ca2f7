package org.waterspout.notification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NotificationCodecTest {

  private static final Instant SENT = Instant.parse("2026-11-25T09:00:00Z");
  private final NotificationCodec codec = new NotificationCodec(Limits.defaults());

  @Test
  void decodesTheDocumentedExample() throws Exception {
    Notification n =
        codec.decode(
            """
            {"id": "wo-1001-routed", "type": "work-order.routed",
             "to": {"users": ["pro-42"], "groups": ["support"]},
             "title": "New work order", "body": "Leak repair at 12 Elm St",
             "data": {"workOrderId": 1001}, "occurredAt": "2026-11-25T10:15:30Z"}
            """,
            "ID:jms-1",
            SENT);

    assertEquals("wo-1001-routed", n.id());
    assertEquals("work-order.routed", n.type());
    assertEquals(new Recipients(Set.of("pro-42"), Set.of("support")), n.to());
    assertEquals(Optional.of("New work order"), n.title());
    assertEquals(1001, n.data().getInt("workOrderId"));
    assertEquals(Instant.parse("2026-11-25T10:15:30Z"), n.occurredAt());
  }

  @Test
  void defaultsIdAndTimeFromTheJmsMessage() throws Exception {
    Notification n = codec.decode("{\"type\":\"t\",\"to\":{\"users\":[\"u\"]}}", "ID:jms-7", SENT);

    assertEquals("ID:jms-7", n.id());
    assertEquals(SENT, n.occurredAt());
    assertTrue(n.title().isEmpty());
    assertTrue(n.data().isEmpty());
  }

  @Test
  void acceptsAnOffsetAndNormalisesItToUtc() throws Exception {
    Notification n =
        codec.decode(
            "{\"type\":\"t\",\"to\":{\"groups\":[\"g\"]},\"occurredAt\":\"2026-11-25T11:15:30+01:00\"}",
            "ID:1",
            SENT);

    assertEquals(Instant.parse("2026-11-25T10:15:30Z"), n.occurredAt());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "not JSON                | {type: x}                                       | not valid JSON",
        "an array                | [1,2]                                           | must be an object",
        "no type                 | {\"to\":{\"users\":[\"u\"]}}                    | 'type' is required",
        "type with spaces        | {\"type\":\"a b\",\"to\":{\"users\":[\"u\"]}}   | 'type' may hold only",
        "type not a string       | {\"type\":1,\"to\":{\"users\":[\"u\"]}}         | 'type' must be a string",
        "no to                   | {\"type\":\"t\"}                                | 'to' is required",
        "no recipients           | {\"type\":\"t\",\"to\":{\"users\":[]}}          | no recipients",
        "recipient not a string  | {\"type\":\"t\",\"to\":{\"users\":[1]}}         | array of strings",
        "blank recipient         | {\"type\":\"t\",\"to\":{\"users\":[\"\"]}}      | invalid name",
        "unknown recipient kind  | {\"type\":\"t\",\"to\":{\"roles\":[\"r\"]}}     | unknown recipient kind 'to.roles'",
        "unknown field           | {\"type\":\"t\",\"to\":{\"users\":[\"u\"]},\"tittle\":\"x\"} | unknown field 'tittle'",
        "duplicate key           | {\"type\":\"t\",\"type\":\"u\",\"to\":{\"users\":[\"u\"]}} | not valid JSON",
        "data not an object      | {\"type\":\"t\",\"to\":{\"users\":[\"u\"]},\"data\":[1]} | 'data' must be an object",
        "bad occurredAt          | {\"type\":\"t\",\"to\":{\"users\":[\"u\"]},\"occurredAt\":\"yesterday\"} | 'occurredAt' must be",
        "blank body              | '   '                                           | body is empty",
        "garbage after the object| {\"type\":\"t\",\"to\":{\"users\":[\"u\"]}} trailing | text after the object",
        "JSON after the object   | {\"type\":\"t\",\"to\":{\"users\":[\"u\"]}} {}       | text after the object",
        "lone surrogate in title | {\"type\":\"t\",\"to\":{\"users\":[\"u\"]},\"title\":\"\\ud800\"} | unpaired surrogate",
        "number out of range     | {\"type\":\"t\",\"to\":{\"users\":[\"u\"]},\"data\":{\"n\":1e9999999999}} | a number out of range",
        "lone surrogate in data  | {\"type\":\"t\",\"to\":{\"users\":[\"u\"]},\"data\":{\"\\udc00\":1}} | unpaired surrogate",
      })
  void rejectsWithAReasonThatNamesTheRule(String name, String json, String reason) {
    var e =
        assertThrows(InvalidNotificationException.class, () -> codec.decode(json, "ID:1", SENT));
    assertTrue(e.getMessage().contains(reason), () -> "reason was: " + e.getMessage());
  }

  @Test
  void keepsPairedSurrogatesSuchAsEmoji() throws Exception {
    Notification n =
        codec.decode(
            "{\"type\":\"t\",\"to\":{\"users\":[\"u\"]},\"title\":\"\\ud83d\\udca7 leak\"}",
            "1",
            SENT);

    assertEquals(Optional.of("\uD83D\uDCA7 leak"), n.title());
  }

  @Test
  void rejectsAMessageOverTheSizeLimitBeforeParsingIt() {
    String huge =
        "{\"type\":\"t\",\"to\":{\"users\":[\"u\"]},\"body\":\"" + "x".repeat(70_000) + "\"}";

    var e = assertThrows(InvalidNotificationException.class, () -> codec.decode(huge, "1", SENT));
    assertTrue(e.getMessage().startsWith("message too large"));
  }

  @Test
  void countsTheLimitInUtf8Bytes() {
    var small = new NotificationCodec(new Limits(1024));
    // 400 characters of 3 bytes each: 1200 bytes, over a 1024-byte limit.
    String json =
        "{\"type\":\"t\",\"to\":{\"users\":[\"u\"]},\"body\":\"" + "€".repeat(400) + "\"}";

    assertThrows(InvalidNotificationException.class, () -> small.decode(json, "1", SENT));
  }

  @Test
  void rejectsTooManyRecipients() {
    var users = Json.createArrayBuilder();
    for (int i = 0; i <= Limits.MAX_RECIPIENTS; i++) {
      users.add("u" + i);
    }
    String json =
        NotificationCodec.write(
            Json.createObjectBuilder()
                .add("type", "t")
                .add("to", Json.createObjectBuilder().add("users", users))
                .build());

    var e = assertThrows(InvalidNotificationException.class, () -> codec.decode(json, "1", SENT));
    assertTrue(e.getMessage().startsWith("too many recipients"));
  }

  @Test
  void decodesUtf8BytesAndRefusesInvalidUtf8() throws Exception {
    byte[] good = "{\"type\":\"t\",\"to\":{\"users\":[\"ü\"]}}".getBytes(StandardCharsets.UTF_8);
    assertEquals(Set.of("ü"), codec.decode(good, "1", SENT).to().users());

    byte[] bad = {'{', (byte) 0xC3, '}'};
    var e = assertThrows(InvalidNotificationException.class, () -> codec.decode(bad, "1", SENT));
    assertEquals("body is not valid UTF-8 text", e.getMessage());
  }

  @Test
  void encodesTheClientFrameWithoutRecipients() throws Exception {
    Notification n =
        codec.decode(
            "{\"id\":\"n1\",\"type\":\"t\",\"to\":{\"users\":[\"secret-user\"]},\"title\":\"Hi\","
                + "\"data\":{\"k\":1},\"occurredAt\":\"2026-11-25T10:15:30Z\"}",
            "ID:1",
            SENT);

    String frame = codec.encodeFrame(n);

    var json = NotificationCodec.parseObject(frame);
    assertEquals("notification", json.getString("op"));
    assertEquals("n1", json.getString("id"));
    assertEquals("t", json.getString("type"));
    assertEquals("Hi", json.getString("title"));
    assertFalse(json.containsKey("body"));
    assertEquals(1, json.getJsonObject("data").getInt("k"));
    assertEquals("2026-11-25T10:15:30Z", json.getString("occurredAt"));
    assertFalse(frame.contains("secret-user"));
  }
}
