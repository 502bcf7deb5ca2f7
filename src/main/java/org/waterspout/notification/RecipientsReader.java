package org.waterspout.notification;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.LinkedHashSet;
import java.util.Set;

/** Reads and checks the {@code to} object of a message. */
final class RecipientsReader {

  private static final Set<String> KINDS = Set.of("users", "groups");

  private RecipientsReader() {}

  static Recipients read(JsonObject to) throws InvalidNotificationException {
    for (String key : to.keySet()) {
      if (!KINDS.contains(key)) {
        throw new InvalidNotificationException(
            "unknown recipient kind 'to." + key + "' (supported: users, groups)");
      }
    }
    Recipients recipients = new Recipients(names(to, "users"), names(to, "groups"));
    if (recipients.size() == 0) {
      throw new InvalidNotificationException("no recipients: 'to.users' and 'to.groups' are empty");
    }
    if (recipients.size() > Limits.MAX_RECIPIENTS) {
      throw new InvalidNotificationException(
          "too many recipients: more than " + Limits.MAX_RECIPIENTS);
    }
    return recipients;
  }

  private static Set<String> names(JsonObject to, String kind) throws InvalidNotificationException {
    JsonValue value = to.get(kind);
    if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
      return Set.of();
    }
    if (value.getValueType() != JsonValue.ValueType.ARRAY) {
      throw new InvalidNotificationException("'to." + kind + "' must be an array of strings");
    }
    Set<String> names = new LinkedHashSet<>();
    for (JsonValue item : value.asJsonArray()) {
      if (item.getValueType() != JsonValue.ValueType.STRING) {
        throw new InvalidNotificationException("'to." + kind + "' must be an array of strings");
      }
      String name = ((JsonString) item).getString();
      if (!RecipientNames.isValid(name)) {
        throw new InvalidNotificationException(
            "'to."
                + kind
                + "' holds an invalid name: it must be 1 to "
                + Limits.MAX_RECIPIENT_CHARS
                + " characters without spaces or control characters");
      }
      names.add(name);
    }
    return names;
  }
}
