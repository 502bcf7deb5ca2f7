package org.waterspout.push;

import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import java.time.Instant;
import java.util.Optional;
import org.waterspout.history.Cursor;
import org.waterspout.notification.NotificationCodec;
import org.waterspout.security.Identity;

/** The frames the server sends besides notifications. */
final class ServerFrames {

  private ServerFrames() {}

  /**
   * The first frame of an authenticated session; with the history on, also the user's last sequence
   * number ({@code seq}) and the highest acknowledged one ({@code acked}).
   */
  static String welcome(
      Identity identity, String sessionId, int maxFrameBytes, Optional<Cursor> cursor) {
    JsonObjectBuilder welcome =
        Json.createObjectBuilder()
            .add("op", "welcome")
            .add("user", identity.user())
            .add("groups", Json.createArrayBuilder(identity.groups()))
            .add("session", sessionId)
            .add("expiresAt", identity.expiresAt().toString())
            .add("maxFrameBytes", maxFrameBytes);
    cursor.ifPresent(c -> welcome.add("seq", c.latest()).add("acked", c.acked()));
    return NotificationCodec.write(welcome.build());
  }

  static String error(String code, String message) {
    return NotificationCodec.write(
        Json.createObjectBuilder()
            .add("op", "error")
            .add("code", code)
            .add("message", message)
            .build());
  }

  static String pong() {
    return NotificationCodec.write(
        Json.createObjectBuilder().add("op", "pong").add("at", Instant.now().toString()).build());
  }
}
