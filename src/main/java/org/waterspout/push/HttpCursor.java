package org.waterspout.push;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where an HTTP client (SSE, polling) stands in each stream it follows, as one string: the SSE
 * event id, {@code Last-Event-ID}, the {@code after} parameter and the {@code WaterSpout-Cursor}
 * header. The user's own stream's number comes first, then {@code ;<stream>=<number>} for each
 * group stream, the name percent-encoded outside {@code A-Z a-z 0-9 : . _ ~ -}: {@code
 * 42;group:support=121}. A bare number names the user's own stream only. Clients keep it as it is.
 */
final class HttpCursor {

  /** Longer than any cursor of a token's streams; a longer one is refused before it is read. */
  static final int MAX_LENGTH = 16_384;

  private HttpCursor() {}

  /**
   * The numbers {@code text} gives, by stream ({@code own} is the user's own stream's name).
   *
   * @throws IllegalArgumentException with what is wrong, for a client to read
   */
  static Map<String, Long> parse(String text, String own) {
    if (text.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("cursor longer than " + MAX_LENGTH + " characters");
    }
    String[] parts = text.split(";", -1);
    Map<String, Long> at = new LinkedHashMap<>();
    at.put(own, number(parts[0], text));
    for (int i = 1; i < parts.length; i++) {
      int eq = parts[i].lastIndexOf('=');
      if (eq <= 0) {
        throw invalid(text);
      }
      at.put(decode(parts[i].substring(0, eq), text), number(parts[i].substring(eq + 1), text));
    }
    return at;
  }

  /** The cursor of {@code at}: the user's own stream {@code own} first, the others in order. */
  static String format(Map<String, Long> at, String own) {
    StringBuilder text = new StringBuilder().append(at.getOrDefault(own, 0L));
    at.forEach(
        (stream, number) -> {
          if (!stream.equals(own)) {
            text.append(';').append(encode(stream)).append('=').append(number);
          }
        });
    return text.toString();
  }

  private static long number(String digits, String text) {
    if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(Character::isDigit)) {
      throw invalid(text);
    }
    return Long.parseLong(digits);
  }

  private static IllegalArgumentException invalid(String text) {
    String shown = text.length() > 80 ? text.substring(0, 80) + "..." : text;
    return new IllegalArgumentException(
        "invalid cursor '" + shown + "': expected <seq> or <seq>;<stream>=<offset>;...");
  }

  private static boolean plain(int c) {
    return (c >= 'A' && c <= 'Z')
        || (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9')
        || c == ':'
        || c == '.'
        || c == '_'
        || c == '~'
        || c == '-';
  }

  private static String encode(String stream) {
    StringBuilder out = new StringBuilder(stream.length());
    for (byte b : stream.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (plain(c)) {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        out.append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }

  private static String decode(String encoded, String text) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
    for (int i = 0; i < encoded.length(); i++) {
      char c = encoded.charAt(i);
      if (c == '%' && i + 2 < encoded.length()) {
        int high = Character.digit(encoded.charAt(i + 1), 16);
        int low = Character.digit(encoded.charAt(i + 2), 16);
        if (high < 0 || low < 0) {
          throw invalid(text);
        }
        bytes.write(high << 4 | low);
        i += 2;
      } else if (plain(c)) {
        bytes.write(c);
      } else {
        throw invalid(text);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
