package org.waterspout.delivery;

import java.util.Objects;

/**
 * A frame on its way to clients; one instance is shared by every session that gets it, so a
 * notification to a group is framed once. Notification frames are counted as delivered when
 * written; live ones carry the moment their message was accepted, so delivery can measure how long
 * they took to reach the socket. Control frames (welcome, pong, error, gap) are neither counted nor
 * timed.
 *
 * @param text the JSON frame
 * @param acceptedAt {@link System#nanoTime()} at intake, {@link #REPLAYED}, {@link #CONTROL},
 *     {@link #SKIP} or {@link #PING}
 * @param stream the stream it is numbered in (see {@code history.Streams}); null when it has none
 * @param seq its number in that stream; 0 when it has none
 * @param expiresAt epoch milliseconds after which it must not be sent; 0 for never
 */
public record Outgoing(String text, long acceptedAt, String stream, long seq, long expiresAt) {

  /** The {@code acceptedAt} of a control frame. */
  public static final long CONTROL = Long.MIN_VALUE;

  /** The {@code acceptedAt} of a notification read back from the history. */
  public static final long REPLAYED = Long.MIN_VALUE + 1;

  /** The {@code acceptedAt} of a number a session passes over: it gets it in another stream. */
  public static final long SKIP = Long.MIN_VALUE + 2;

  /** The {@code acceptedAt} of an RFC 6455 ping, sent in turn with the session's frames. */
  public static final long PING = Long.MIN_VALUE + 3;

  public Outgoing {
    Objects.requireNonNull(text, "text");
  }

  public static Outgoing control(String text) {
    return new Outgoing(text, CONTROL, null, 0, 0);
  }

  /** A live notification without a number (history off). */
  public static Outgoing notification(String text, long acceptedAt) {
    return new Outgoing(text, acceptedAt, null, 0, 0);
  }

  /** A live notification numbered in a stream. */
  public static Outgoing numbered(
      String text, String stream, long acceptedAt, long seq, long expiresAt) {
    return new Outgoing(text, acceptedAt, Objects.requireNonNull(stream), seq, expiresAt);
  }

  /** A notification read back from the history. */
  public static Outgoing replayed(String text, String stream, long seq, long expiresAt) {
    return new Outgoing(text, REPLAYED, Objects.requireNonNull(stream), seq, expiresAt);
  }

  /** An RFC 6455 ping: through the outbox, so that it never overlaps a frame being sent. */
  public static Outgoing ping() {
    return new Outgoing("", PING, null, 0, 0);
  }

  public boolean isPing() {
    return acceptedAt == PING;
  }

  /** A number of {@code stream} that a session passes over, as it gets it in another stream. */
  public static Outgoing skip(String stream, long seq) {
    return new Outgoing("", SKIP, Objects.requireNonNull(stream), seq, 0);
  }

  public boolean isNotification() {
    return acceptedAt != CONTROL && acceptedAt != SKIP && acceptedAt != PING;
  }

  /** Whether it is live, so its delay since intake means something. */
  public boolean isTimed() {
    return isNotification() && acceptedAt != REPLAYED;
  }

  /** Whether it has a number in a stream. */
  public boolean isNumbered() {
    return stream != null;
  }

  /** Whether it only moves a session's stream past its number, sending nothing. */
  public boolean isSkip() {
    return acceptedAt == SKIP;
  }

  /** Whether it must no longer be sent at {@code now} (epoch milliseconds). */
  public boolean expiredAt(long now) {
    return expiresAt != 0 && expiresAt <= now;
  }
}
