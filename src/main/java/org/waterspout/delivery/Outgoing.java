package org.waterspout.delivery;

import java.util.Objects;

/**
 * A frame on its way to one client. Notification frames are counted as delivered when written; live
 * ones carry the moment their message was accepted, so delivery can measure how long they took to
 * reach the socket. Control frames (welcome, pong, error, gap) are neither counted nor timed.
 *
 * @param text the JSON frame
 * @param acceptedAt {@link System#nanoTime()} at intake, {@link #REPLAYED} or {@link #CONTROL}
 * @param seq the notification's number in the user's sequence; 0 when it has none
 * @param expiresAt epoch milliseconds after which it must not be sent; 0 for never
 */
public record Outgoing(String text, long acceptedAt, long seq, long expiresAt) {

  /** The {@code acceptedAt} of a control frame. */
  public static final long CONTROL = Long.MIN_VALUE;

  /** The {@code acceptedAt} of a notification read back from the history. */
  public static final long REPLAYED = Long.MIN_VALUE + 1;

  public Outgoing {
    Objects.requireNonNull(text, "text");
  }

  public static Outgoing control(String text) {
    return new Outgoing(text, CONTROL, 0, 0);
  }

  /** A live notification without a sequence number (history off). */
  public static Outgoing notification(String text, long acceptedAt) {
    return new Outgoing(text, acceptedAt, 0, 0);
  }

  /** A live notification in the user's sequence. */
  public static Outgoing sequenced(String text, long acceptedAt, long seq, long expiresAt) {
    return new Outgoing(text, acceptedAt, seq, expiresAt);
  }

  /** A notification read back from the history. */
  public static Outgoing replayed(String text, long seq, long expiresAt) {
    return new Outgoing(text, REPLAYED, seq, expiresAt);
  }

  public boolean isNotification() {
    return acceptedAt != CONTROL;
  }

  /** Whether it is live, so its delay since intake means something. */
  public boolean isTimed() {
    return acceptedAt != CONTROL && acceptedAt != REPLAYED;
  }

  public boolean isSequenced() {
    return seq > 0;
  }

  /** Whether it must no longer be sent at {@code now} (epoch milliseconds). */
  public boolean expiredAt(long now) {
    return expiresAt != 0 && expiresAt <= now;
  }
}
