package org.waterspout.notification;

/** UTF-8 length without encoding the string. */
public final class Utf8 {

  private Utf8() {}

  /**
   * The UTF-8 length of {@code text}, or a number above {@code limit} as soon as it exceeds it, so
   * a huge message costs no more than the limit to measure.
   */
  public static long length(String text, int limit) {
    if (text.length() > limit) {
      return text.length();
    }
    long bytes = 0;
    for (int i = 0; i < text.length() && bytes <= limit; i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }
}
