package org.waterspout.notification;

import jakarta.json.JsonConfig;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonValue;
import jakarta.json.JsonWriterFactory;
import jakarta.json.stream.JsonParser;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * Reads the v1 JMS message contract into a {@link Notification} and writes the client frame.
 *
 * <p>Strict on purpose: unknown fields, duplicate keys and wrong types are rejected with a reason
 * that names the field, so an integrator sees a typo at once instead of an empty toast. Anything
 * free-form belongs in {@code data}.
 */
public final class NotificationCodec {

  private static final Set<String> FIELDS =
      Set.of("id", "type", "to", "title", "body", "data", "occurredAt");
  private static final JsonReaderFactory READERS =
      Jsons.PROVIDER.createReaderFactory(
          Map.of(JsonConfig.KEY_STRATEGY, JsonConfig.KeyStrategy.NONE));
  private static final JsonWriterFactory WRITERS = Jsons.PROVIDER.createWriterFactory(Map.of());

  private final Limits limits;

  public NotificationCodec(Limits limits) {
    this.limits = limits;
  }

  /** Decodes a message body that arrived as bytes (STOMP and some AMQP clients send these). */
  public Notification decode(byte[] utf8, String fallbackId, Instant fallbackTime)
      throws InvalidNotificationException {
    requireSize(utf8.length);
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(utf8))
              .toString();
    } catch (CharacterCodingException e) {
      throw new InvalidNotificationException("body is not valid UTF-8 text");
    }
    return decode(text, fallbackId, fallbackTime);
  }

  /**
   * Decodes and validates one message body.
   *
   * @param fallbackId used when the message has no {@code id} (the JMSMessageID)
   * @param fallbackTime used when the message has no {@code occurredAt} (the JMSTimestamp)
   */
  public Notification decode(String text, String fallbackId, Instant fallbackTime)
      throws InvalidNotificationException {
    if (text == null || text.isBlank()) {
      throw new InvalidNotificationException("body is empty");
    }
    requireSize(Utf8.length(text, limits.maxMessageBytes()));
    JsonObject json = parseObject(text);
    for (String key : json.keySet()) {
      if (!FIELDS.contains(key)) {
        throw new InvalidNotificationException(
            "unknown field '" + key + "' (put free-form values in 'data')");
      }
    }
    MessageFields fields = new MessageFields(json);
    String id = fields.optionalString("id", Limits.MAX_ID_CHARS).orElse(fallbackId);
    if (id == null || id.isBlank()) {
      throw new InvalidNotificationException("'id' is missing and the message has no JMSMessageID");
    }
    return new Notification(
        id,
        fields.type(),
        fields.recipients(),
        fields.optionalString("title", Limits.MAX_TITLE_CHARS),
        fields.optionalString("body", Limits.MAX_BODY_CHARS),
        fields.data(),
        fields.occurredAt().orElse(fallbackTime));
  }

  /** The frame a browser receives: {@code {"op":"notification",...}}; recipients stay private. */
  public String encodeFrame(Notification n) {
    JsonObjectBuilder frame =
        Jsons.PROVIDER
            .createObjectBuilder()
            .add("op", "notification")
            .add("id", n.id())
            .add("type", n.type());
    n.title().ifPresent(t -> frame.add("title", t));
    n.body().ifPresent(b -> frame.add("body", b));
    frame.add("data", n.data()).add("occurredAt", n.occurredAt().toString());
    return write(frame.build());
  }

  private static final String FRAME_START = "{\"op\":\"notification\",";

  /**
   * The frame of {@link #encodeFrame} with the recipient's sequence number added, without encoding
   * it again: {@code {"op":"notification","seq":7,"id":...}}.
   */
  public static String withSeq(String frame, long seq) {
    if (!frame.startsWith(FRAME_START)) {
      throw new IllegalArgumentException("not a notification frame: " + frame);
    }
    return FRAME_START + "\"seq\":" + seq + "," + frame.substring(FRAME_START.length());
  }

  /**
   * The frame with its place in a named stream: {@code "stream"} and {@code "offset"} first, after
   * {@code "op"}. Built once per notification and stream, and shared by every session that gets it.
   */
  public static String withStream(String frame, String stream, long offset) {
    if (!frame.startsWith(FRAME_START)) {
      throw new IllegalArgumentException("not a notification frame: " + frame);
    }
    return FRAME_START
        + "\"stream\":"
        + Jsons.PROVIDER.createValue(stream)
        + ",\"offset\":"
        + offset
        + ","
        + frame.substring(FRAME_START.length());
  }

  /** Writes compact JSON text. */
  public static String write(JsonObject json) {
    StringWriter out = new StringWriter();
    WRITERS.createWriter(out).write(json);
    return out.toString();
  }

  /**
   * Parses one JSON object, rejecting duplicate keys, text after the object, and strings that are
   * not valid Unicode (a lone surrogate cannot be sent as UTF-8); the message names what is wrong.
   */
  public static JsonObject parseObject(String text) throws InvalidNotificationException {
    JsonValue value;
    try (var reader = READERS.createReader(new StringReader(text))) {
      value = reader.readValue();
    } catch (JsonException e) {
      throw new InvalidNotificationException("not valid JSON: " + firstLine(e.getMessage()));
    } catch (NumberFormatException | ArithmeticException e) {
      // The reader makes a BigDecimal of every number; 1e9999999999 has no such value.
      throw new InvalidNotificationException("not valid JSON: a number out of range");
    }
    if (value.getValueType() != JsonValue.ValueType.OBJECT) {
      throw new InvalidNotificationException("JSON must be an object, not " + value.getValueType());
    }
    requireNothingAfter(text);
    if (!Unicode.isWellFormed(value)) {
      throw new InvalidNotificationException("a string holds an unpaired surrogate (not Unicode)");
    }
    return value.asJsonObject();
  }

  /**
   * The reader stops after the first value and would ignore what follows; a second, skimming pass
   * refuses it. (The reader is kept for the first pass: only it rejects duplicate keys.)
   */
  private static void requireNothingAfter(String text) throws InvalidNotificationException {
    try (JsonParser parser = Jsons.PROVIDER.createParser(new StringReader(text))) {
      parser.next();
      parser.skipObject();
      if (parser.hasNext()) {
        throw new InvalidNotificationException("not valid JSON: text after the object");
      }
    } catch (JsonException e) {
      throw new InvalidNotificationException(
          "not valid JSON: text after the object: " + firstLine(e.getMessage()));
    }
  }

  private void requireSize(long bytes) throws InvalidNotificationException {
    if (bytes > limits.maxMessageBytes()) {
      throw new InvalidNotificationException(
          "message too large: more than " + limits.maxMessageBytes() + " bytes");
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int newline = message.indexOf('\n');
    String line = newline < 0 ? message : message.substring(0, newline);
    return line.length() > 200 ? line.substring(0, 200) : line;
  }
}
