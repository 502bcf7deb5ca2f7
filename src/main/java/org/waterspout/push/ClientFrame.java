package org.waterspout.push;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.LinkedHashMap;
import java.util.Map;
import org.waterspout.notification.InvalidNotificationException;
import org.waterspout.notification.NotificationCodec;

/**
 * One frame from a client: {@code {"op":"auth","token":"..."}}, {@code {"op":"ping"}}, {@code
 * {"op":"resume","after":7,"streams":{"group:support":3}}} or {@code
 * {"op":"ack","seq":7,"streams":{"group:support":3}}}.
 *
 * @param op the operation
 * @param json the whole frame, for the operation's own fields
 */
record ClientFrame(String op, JsonObject json) {

  static final String AUTH = "auth";
  static final String PING = "ping";
  static final String RESUME = "resume";
  static final String ACK = "ack";

  /** Parses a text frame; the exception says what is wrong in words a client developer reads. */
  static ClientFrame parse(String text) throws BadFrameException {
    JsonObject json;
    try {
      json = NotificationCodec.parseObject(text);
    } catch (InvalidNotificationException e) {
      throw new BadFrameException(e.getMessage());
    }
    JsonValue op = json.get("op");
    if (op == null || op.getValueType() != JsonValue.ValueType.STRING) {
      throw new BadFrameException("frame has no string 'op'");
    }
    return new ClientFrame(json.getString("op"), json);
  }

  /** The {@code token} of an auth frame. */
  String token() throws BadFrameException {
    JsonValue token = json.get("token");
    if (token == null || token.getValueType() != JsonValue.ValueType.STRING) {
      throw new BadFrameException("auth frame has no string 'token'");
    }
    return json.getString("token");
  }

  /** Whether the frame has {@code field}. */
  boolean has(String field) {
    return json.containsKey(field);
  }

  /**
   * The optional object {@code field} of stream names and numbers, as in {@code
   * "streams":{"group:support":120}}; empty when absent.
   */
  Map<String, Long> streamNumbers(String field) throws BadFrameException {
    JsonValue value = json.get(field);
    if (value == null) {
      return Map.of();
    }
    if (value.getValueType() != JsonValue.ValueType.OBJECT) {
      throw new BadFrameException(
          op + " frame: '" + field + "' must be an object of stream names and numbers");
    }
    Map<String, Long> numbers = new LinkedHashMap<>();
    for (Map.Entry<String, JsonValue> entry : value.asJsonObject().entrySet()) {
      numbers.put(entry.getKey(), number(field + "." + entry.getKey(), entry.getValue()));
    }
    return numbers;
  }

  /** A field that must be a whole number from 0 to 2^63-1, such as a sequence number. */
  long sequenceNumber(String field) throws BadFrameException {
    return number(field, json.get(field));
  }

  private long number(String field, JsonValue value) throws BadFrameException {
    if (value instanceof JsonNumber number && number.isIntegral()) {
      try {
        long n = number.longValueExact();
        if (n >= 0) {
          return n;
        }
      } catch (ArithmeticException e) {
        // Too large: reported below.
      }
    }
    throw new BadFrameException(
        op + " frame needs '" + field + "': a whole number from 0 to " + Long.MAX_VALUE);
  }

  /** A malformed client frame. */
  static final class BadFrameException extends Exception {
    private static final long serialVersionUID = 1L;

    BadFrameException(String reason) {
      super(reason);
    }
  }
}
