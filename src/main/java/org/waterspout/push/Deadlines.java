package org.waterspout.push;

import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.Session;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Closing a socket later: the authentication timeout, and the token's expiry. */
final class Deadlines {

  private Deadlines() {}

  /**
   * Closes {@code session} with 1008 after {@code delay} if {@code due} still holds for {@code
   * owner} then. The task holds both weakly: a cancelled task stays in the scheduler's queue until
   * its time (hours, for a token's expiry), and must not keep a closed session in memory that long.
   */
  static <T> ScheduledFuture<?> closeLater(
      ScheduledExecutorService scheduler,
      Session session,
      T owner,
      Predicate<T> due,
      Duration delay,
      String reason) {
    WeakReference<Session> target = new WeakReference<>(session);
    WeakReference<T> holder = new WeakReference<>(owner);
    return scheduler.schedule(
        () -> {
          Session open = target.get();
          T self = holder.get();
          if (open != null && self != null && due.test(self)) {
            Closer.close(open, CloseCodes.VIOLATED_POLICY, reason);
          }
        },
        Math.max(0, delay.toMillis()),
        TimeUnit.MILLISECONDS);
  }
}
