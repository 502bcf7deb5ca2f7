package org.waterspout.delivery;

import jakarta.json.JsonObjectBuilder;
import org.waterspout.history.Streams;
import org.waterspout.notification.Jsons;
import org.waterspout.notification.NotificationCodec;

/**
 * How one stream appears to clients: a user's own stream without a name, its numbers as {@code seq}
 * (the contract of a user's sequence); any other by its name in {@code stream}, its numbers as
 * {@code offset}.
 */
public final class StreamFrames {

  private final String stream;
  private final boolean own;

  /** Frames for {@code stream} ({@link Streams}). */
  public StreamFrames(String stream) {
    this.stream = stream;
    this.own = Streams.isUser(stream);
  }

  public String stream() {
    return stream;
  }

  /** A notification frame (without a number) with its number in this stream. */
  public String numbered(String frame, long seq) {
    return own
        ? NotificationCodec.withSeq(frame, seq)
        : NotificationCodec.withStream(frame, stream, seq);
  }

  /**
   * Retention dropped notifications {@code from} to {@code to} (inclusive) before they were read.
   */
  String gap(long from, long to) {
    return NotificationCodec.write(
        named(Jsons.PROVIDER.createObjectBuilder().add("op", "gap"))
            .add("from", from)
            .add("to", to)
            .build());
  }

  /** The client resumed after a number this stream has not reached. */
  String cursorAhead(long after, long latest) {
    return NotificationCodec.write(
        named(Jsons.PROVIDER.createObjectBuilder().add("op", "error").add("code", "cursor-ahead"))
            .add(
                "message",
                "resume after "
                    + after
                    + ", but the latest notification"
                    + (own ? "" : " of " + stream)
                    + " is "
                    + latest
                    + ": the history was reset; drop your cursor and resume after 0")
            .add("latest", latest)
            .build());
  }

  private JsonObjectBuilder named(JsonObjectBuilder frame) {
    return own ? frame : frame.add("stream", stream);
  }
}
