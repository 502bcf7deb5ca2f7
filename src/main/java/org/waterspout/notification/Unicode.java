package org.waterspout.notification;

import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.Map;

/**
 * Well-formed Unicode: JSON may escape a lone surrogate ({@code "\ud800"}), which no UTF-8 encoder
 * can write, so the WebSocket container would fail on the frame. Such text is refused on intake.
 */
public final class Unicode {

  private Unicode() {}

  /** True when every surrogate in {@code text} is part of a pair. */
  public static boolean isWellFormed(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  /** True when every string and key inside {@code value} is well formed. */
  static boolean isWellFormed(JsonValue value) {
    switch (value.getValueType()) {
      case STRING:
        return isWellFormed(((JsonString) value).getString());
      case ARRAY:
        for (JsonValue item : value.asJsonArray()) {
          if (!isWellFormed(item)) {
            return false;
          }
        }
        return true;
      case OBJECT:
        for (Map.Entry<String, JsonValue> entry : value.asJsonObject().entrySet()) {
          if (!isWellFormed(entry.getKey()) || !isWellFormed(entry.getValue())) {
            return false;
          }
        }
        return true;
      default:
        return true;
    }
  }
}
