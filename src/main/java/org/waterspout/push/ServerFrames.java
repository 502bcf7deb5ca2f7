package org.waterspout.push;

import jakarta.json.JsonObjectBuilder;
import java.time.Instant;
import java.util.Map;
import org.waterspout.history.Cursor;
import org.waterspout.history.Streams;
import org.waterspout.notification.Jsons;
import org.waterspout.notification.NotificationCodec;
import org.waterspout.security.Identity;

/** The frames the server sends besides notifications. */
final class ServerFrames {

  private ServerFrames() {}

  /**
   * The first frame of an authenticated session; with the history on, also the user's last sequence
   * number ({@code seq}) and the highest acknowledged one ({@code acked}), and the same of each
   * other stream it follows ({@code "streams":{"group:support":{"offset":120,"acked":118}}}).
   *
   * @param cursors by stream, the user's own first; empty with the history off
   */
  static String welcome(
      Identity identity, String sessionId, int maxFrameBytes, Map<String, Cursor> cursors) {
    JsonObjectBuilder welcome =
        Jsons.PROVIDER
            .createObjectBuilder()
            .add("op", "welcome")
            .add("user", identity.user())
            .add("groups", Jsons.PROVIDER.createArrayBuilder(identity.groups()))
            .add("session", sessionId)
            .add("expiresAt", identity.expiresAt().toString())
            .add("maxFrameBytes", maxFrameBytes);
    if (!cursors.isEmpty()) {
      JsonObjectBuilder streams = Jsons.PROVIDER.createObjectBuilder();
      cursors.forEach(
          (stream, c) -> {
            if (Streams.isUser(stream)) {
              welcome.add("seq", c.latest()).add("acked", c.acked());
            } else {
              streams.add(
                  stream,
                  Jsons.PROVIDER
                      .createObjectBuilder()
                      .add("offset", c.latest())
                      .add("acked", c.acked()));
            }
          });
      welcome.add("streams", streams);
    }
    return NotificationCodec.write(welcome.build());
  }

  static String error(String code, String message) {
    return NotificationCodec.write(
        Jsons.PROVIDER
            .createObjectBuilder()
            .add("op", "error")
            .add("code", code)
            .add("message", message)
            .build());
  }

  static String pong() {
    return NotificationCodec.write(
        Jsons.PROVIDER
            .createObjectBuilder()
            .add("op", "pong")
            .add("at", Instant.now().toString())
            .build());
  }

  /** The answer to a fresh {@code auth} frame: the session now lasts until the new expiry. */
  static String extended(Identity identity) {
    return NotificationCodec.write(
        Jsons.PROVIDER
            .createObjectBuilder()
            .add("op", "extended")
            .add("expiresAt", identity.expiresAt().toString())
            .build());
  }
}
