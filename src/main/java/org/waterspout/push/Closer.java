package org.waterspout.push;

import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCode;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Closes sockets with a code and a reason that fits the 123-byte limit of a close frame. */
final class Closer {

  /** RFC 6455: a close frame's reason holds at most 123 bytes of UTF-8. */
  static final int MAX_REASON_BYTES = 123;

  private static final Logger LOG = Logger.getLogger(Closer.class.getName());

  private Closer() {}

  static void close(Session session, CloseCode code, String reason) {
    if (!session.isOpen()) {
      return;
    }
    try {
      session.close(new CloseReason(code, fit(reason)));
    } catch (IOException | IllegalStateException e) {
      // The peer is already gone; the container reports the close on its own.
      LOG.log(Level.FINE, "Close of session " + session.getId() + " failed", e);
    }
  }

  static String fit(String reason) {
    byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= MAX_REASON_BYTES) {
      return reason;
    }
    int end = reason.length();
    while (reason.substring(0, end).getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES) {
      end--;
    }
    return reason.substring(0, end);
  }
}
