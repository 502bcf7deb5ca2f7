package org.waterspout.push;

import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.Session;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
import org.waterspout.security.Identity;
import org.waterspout.security.TokenVerifier;
import org.waterspout.timing.Timeout;
import org.waterspout.timing.Timer;

/** Closing a socket later: the authentication timeout, and the token's expiry. */
final class Deadlines {

  private Deadlines() {}

  /**
   * Closes {@code session} with 1008 after {@code delay} if {@code due} still holds for {@code
   * owner} then. The task holds both weakly: a deadline set after its session closed (a race with
   * {@code @OnClose}) is never cancelled, and must not keep the session in memory until its time
   * (hours, for a token's expiry).
   */
  static <T> Timeout closeLater(
      Timer timer, Session session, T owner, Predicate<T> due, Duration delay, String reason) {
    WeakReference<Session> target = new WeakReference<>(session);
    WeakReference<T> holder = new WeakReference<>(owner);
    return timer.after(
        delay,
        () -> {
          Session open = target.get();
          T self = holder.get();
          if (open != null && self != null && due.test(self)) {
            Closer.close(open, CloseCodes.VIOLATED_POLICY, reason);
          }
        });
  }

  /** Closes {@code session} with 1008 once {@code identity}'s token expired (with the skew). */
  static Timeout tokenExpiry(Timer timer, Session session, SocketState socket, Identity identity) {
    return closeLater(
        timer,
        session,
        socket,
        state -> true,
        Duration.between(
            Instant.now(), identity.expiresAt().plusSeconds(TokenVerifier.CLOCK_SKEW_SECONDS)),
        "token expired: reconnect with a fresh token");
  }
}
