package org.waterspout.timing;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The application's one timer for per-session deadlines: a {@link TimerWheel} of {@value
 * #WHEEL_SIZE} buckets of {@link #TICK}, advanced by one repeating task of the managed scheduled
 * executor. A deadline costs one small node, not a task in the executor's queue, and a cancelled
 * one is gone at once. Tasks run on that one thread, at most a tick late: they must be short and
 * must not block.
 */
@ApplicationScoped
public class Timers implements Timer {

  /** The wheel's resolution: deadlines run up to this much late, never early. */
  public static final Duration TICK = Duration.ofMillis(100);

  /** Buckets: one round of the wheel is 51.2 s; longer deadlines wait their round in a bucket. */
  static final int WHEEL_SIZE = 512;

  private static final Logger LOG = Logger.getLogger(Timers.class.getName());

  @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
  ManagedScheduledExecutorService scheduler;

  private final TimerWheel wheel = new TimerWheel(TICK, WHEEL_SIZE, System::nanoTime);
  private ScheduledFuture<?> ticking;

  void started(@Observes @Initialized(ApplicationScoped.class) Object event) {
    // Observing makes CDI create this bean, and start the wheel, with the application.
    start();
  }

  private synchronized void start() {
    if (ticking == null) {
      ticking =
          scheduler.scheduleWithFixedDelay(
              this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  @PreDestroy
  synchronized void stop() {
    if (ticking != null) {
      ticking.cancel(false);
    }
  }

  @Override
  public Timeout after(Duration delay, Runnable task) {
    start();
    return wheel.after(delay, () -> run(task));
  }

  /** Deadlines waiting (for the admin figures and tests). */
  public int waiting() {
    return wheel.size();
  }

  private void tick() {
    try {
      wheel.advance();
    } catch (RuntimeException e) {
      // An exception would end the repeating task, and with it every session's deadlines.
      LOG.log(Level.SEVERE, "The session timer failed a tick", e);
    }
  }

  private static void run(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "A timed task failed", e);
    }
  }
}
