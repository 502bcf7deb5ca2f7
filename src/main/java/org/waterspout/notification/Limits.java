package org.waterspout.notification;

/**
 * Size limits of the v1 message contract. The message size is configurable; the per-field limits
 * are part of the documented contract.
 *
 * @param maxMessageBytes largest accepted message body, in UTF-8 bytes
 */
public record Limits(int maxMessageBytes) {

  public static final int DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024;
  public static final int MAX_ID_CHARS = 200;
  public static final int MAX_TYPE_CHARS = 100;
  public static final int MAX_RECIPIENT_CHARS = 200;
  public static final int MAX_RECIPIENTS = 1000;
  public static final int MAX_TITLE_CHARS = 200;
  public static final int MAX_BODY_CHARS = 4000;

  public Limits {
    if (maxMessageBytes < 1024) {
      throw new IllegalArgumentException(
          "maxMessageBytes must be at least 1024: " + maxMessageBytes);
    }
  }

  public static Limits defaults() {
    return new Limits(DEFAULT_MAX_MESSAGE_BYTES);
  }
}
