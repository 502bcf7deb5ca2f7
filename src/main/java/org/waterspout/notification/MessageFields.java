package org.waterspout.notification;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/** The fields of one message of the v1 contract, each read and checked against its rule. */
final class MessageFields {

  private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]*");

  private final JsonObject json;

  MessageFields(JsonObject json) {
    this.json = json;
  }

  String type() throws InvalidNotificationException {
    String type =
        optionalString("type", Limits.MAX_TYPE_CHARS)
            .orElseThrow(() -> new InvalidNotificationException("'type' is required"));
    if (!TYPE.matcher(type).matches()) {
      throw new InvalidNotificationException(
          "'type' may hold only letters, digits and . _ : / - (got '" + type + "')");
    }
    return type;
  }

  Recipients recipients() throws InvalidNotificationException {
    JsonValue to = json.get("to");
    if (to == null || to.getValueType() != JsonValue.ValueType.OBJECT) {
      throw new InvalidNotificationException("'to' is required and must be an object");
    }
    return RecipientsReader.read(to.asJsonObject());
  }

  Optional<String> optionalString(String name, int maxChars) throws InvalidNotificationException {
    JsonValue value = json.get(name);
    if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
      return Optional.empty();
    }
    if (value.getValueType() != JsonValue.ValueType.STRING) {
      throw new InvalidNotificationException("'" + name + "' must be a string");
    }
    String text = json.getString(name);
    if (text.length() > maxChars) {
      throw new InvalidNotificationException(
          "'" + name + "' is longer than " + maxChars + " characters");
    }
    return Optional.of(text);
  }

  JsonObject data() throws InvalidNotificationException {
    JsonValue data = json.get("data");
    if (data == null || data.getValueType() == JsonValue.ValueType.NULL) {
      return JsonValue.EMPTY_JSON_OBJECT;
    }
    if (data.getValueType() != JsonValue.ValueType.OBJECT) {
      throw new InvalidNotificationException("'data' must be an object");
    }
    return data.asJsonObject();
  }

  Optional<Instant> occurredAt() throws InvalidNotificationException {
    Optional<String> text = optionalString("occurredAt", 64);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(OffsetDateTime.parse(text.get()).toInstant());
    } catch (DateTimeParseException e) {
      throw new InvalidNotificationException(
          "'occurredAt' must be an ISO-8601 date-time with offset, e.g. 2026-11-25T10:15:30Z");
    }
  }
}
