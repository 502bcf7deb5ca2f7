package org.waterspout.push;

import jakarta.json.Json;
import java.time.Instant;
import org.waterspout.notification.NotificationCodec;
import org.waterspout.security.Identity;

/** The frames the server sends besides notifications. */
final class ServerFrames {

  private ServerFrames() {}

  static String welcome(Identity identity, String sessionId, int maxFrameBytes) {
    return NotificationCodec.write(
        Json.createObjectBuilder()
            .add("op", "welcome")
            .add("user", identity.user())
            .add("groups", Json.createArrayBuilder(identity.groups()))
            .add("session", sessionId)
            .add("expiresAt", identity.expiresAt().toString())
            .add("maxFrameBytes", maxFrameBytes)
            .build());
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
