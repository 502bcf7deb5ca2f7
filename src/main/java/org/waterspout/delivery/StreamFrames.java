package org.waterspout.delivery;

import jakarta.json.Json;
import org.waterspout.notification.NotificationCodec;

/** The control frames a session's stream sends about its sequence. */
final class StreamFrames {

  private StreamFrames() {}

  /**
   * Retention dropped notifications {@code from} to {@code to} (inclusive) before they were read.
   */
  static String gap(long from, long to) {
    return NotificationCodec.write(
        Json.createObjectBuilder().add("op", "gap").add("from", from).add("to", to).build());
  }

  /** The client resumed after a number this user's sequence has not reached. */
  static String cursorAhead(long after, long latest) {
    return NotificationCodec.write(
        Json.createObjectBuilder()
            .add("op", "error")
            .add("code", "cursor-ahead")
            .add(
                "message",
                "resume after "
                    + after
                    + ", but the latest notification is "
                    + latest
                    + ": the history was reset; drop your cursor and resume after 0")
            .add("latest", latest)
            .build());
  }
}
