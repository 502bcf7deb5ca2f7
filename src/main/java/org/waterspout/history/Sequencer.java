package org.waterspout.history;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Numbers stored notifications in their streams as soon as their intake commits, in batches ({@link
 * Numbering#numberPending}), one batch at a time on this instance, and pushes each batch once it is
 * committed ({@link NotificationNumbered}). {@link HistoryTasks} calls {@link #sweep} every second,
 * for notifications left waiting by a failure or a crash.
 *
 * <p>A batch that fails is retried with its first notification alone; if that one fails alone too,
 * it is set aside for {@link #SET_ASIDE_NANOS} and retried then, so that one notification that
 * cannot be numbered never holds up everyone else's. It stays pending, and an admin sees why in the
 * log; when it is numbered at last, it comes after the ones that overtook it, even of its own
 * {@code JMSXGroupID}.
 */
@ApplicationScoped
public class Sequencer {

  private static final Logger LOG = Logger.getLogger(Sequencer.class.getName());

  /** Notifications numbered in one transaction, at most. */
  static final int BATCH = 200;

  /** Places in streams given out in one transaction before it takes no more notifications. */
  static final int MAX_PLACES = 5_000;

  /** Characters of frames read in one transaction before it takes no more notifications. */
  static final long MAX_CHARS = 4L << 20;

  private static final long SET_ASIDE_NANOS = TimeUnit.MINUTES.toNanos(1);

  /** Intake times kept for the latency figures, at most (beyond: the push time stands in). */
  private static final int MAX_TIMES = 100_000;

  /** How long an intake time is kept for a notification this instance has not numbered. */
  private static final long TIME_KEPT_NANOS = TimeUnit.MINUTES.toNanos(1);

  private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

  @Inject Numbering numbering;
  @Inject Event<NotificationNumbered> numbered;

  @Resource(lookup = "java:comp/DefaultManagedExecutorService")
  ManagedExecutorService executor;

  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicBoolean wanted = new AtomicBoolean();
  private final Map<String, Long> acceptedAt = new ConcurrentHashMap<>();

  /** Pending ids that failed to be numbered, alone: when each was set aside. */
  private final Map<Long, Long> setAside = new ConcurrentHashMap<>();

  private volatile boolean stopped;

  private volatile long lastWarning = System.nanoTime() - WARN_EVERY_NANOS;

  /** In the intake transaction: the intake time, kept before anyone can number the notification. */
  void taken(@Observes NotificationPending event) {
    if (acceptedAt.size() < MAX_TIMES) {
      acceptedAt.put(event.id(), event.acceptedAt());
    }
  }

  void rolledBack(@Observes(during = TransactionPhase.AFTER_FAILURE) NotificationPending event) {
    acceptedAt.remove(event.id());
  }

  void committed(@Observes(during = TransactionPhase.AFTER_SUCCESS) NotificationPending event) {
    wake();
  }

  /**
   * Every second: forgets intake times of notifications another instance numbered, lets set-aside
   * notifications be tried again when their time is up, and numbers whatever is waiting.
   */
  public void sweep() {
    long now = System.nanoTime();
    acceptedAt.values().removeIf(taken -> now - taken > TIME_KEPT_NANOS);
    setAside.values().removeIf(since -> now - since > SET_ASIDE_NANOS);
    wake();
  }

  /**
   * Waits (a few seconds at most) for the batch under way: one cut off by an undeployment left its
   * database transaction open until the transaction timeout. What is still pending is numbered by
   * the next start, or by another instance.
   */
  @PreDestroy
  void stop() {
    stopped = true;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (running.get() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Numbers whatever is waiting, now or right after the batch under way. */
  public void wake() {
    if (stopped) {
      return;
    }
    wanted.set(true);
    if (running.compareAndSet(false, true)) {
      try {
        executor.execute(this::drain);
      } catch (RejectedExecutionException e) {
        running.set(false);
        warn("Could not start numbering notifications; retrying in a second", e);
      }
    }
  }

  private void drain() {
    boolean stuck = false;
    try {
      while (wanted.getAndSet(false) && !stopped) {
        List<Numbered> batch;
        do {
          batch = numbering.numberPending(BATCH, MAX_PLACES, MAX_CHARS, setAside.keySet());
          push(batch);
        } while (!batch.isEmpty() && !stopped);
      }
    } catch (RuntimeException e) {
      stuck = !isolate(e);
    } finally {
      running.set(false);
      // Stuck (the database is down): the sweep tries again in a second, rather than at once.
      if (!stuck && wanted.get()) {
        wake();
      }
    }
  }

  /**
   * After a failed batch: numbers its first notification alone, or sets it aside when that fails
   * too. False when neither could be done (the database is unavailable).
   */
  private boolean isolate(RuntimeException batchFailure) {
    Optional<Long> first;
    try {
      first = numbering.firstPending(setAside.keySet());
    } catch (RuntimeException e) {
      warn("Numbering notifications failed; retrying in a second", batchFailure);
      return false;
    }
    if (first.isEmpty()) {
      return true;
    }
    try {
      push(numbering.numberPending(1, MAX_PLACES, MAX_CHARS, setAside.keySet()));
    } catch (RuntimeException alone) {
      setAside.put(first.get(), System.nanoTime());
      LOG.log(
          Level.SEVERE,
          "Pending notification #"
              + first.get()
              + " (ws_pending) could not be numbered, even alone; the others go on, and it is"
              + " tried again in a minute",
          alone);
    }
    wanted.set(true);
    return true;
  }

  private void push(List<Numbered> batch) {
    for (Numbered notification : batch) {
      Long accepted = acceptedAt.remove(notification.id());
      try {
        numbered.fire(
            new NotificationNumbered(
                notification, accepted != null ? accepted : System.nanoTime()));
      } catch (RuntimeException e) {
        // Committed: sessions read it from the history when the next one shows the hole.
        LOG.log(Level.WARNING, "Pushing notification " + notification.id() + " failed", e);
      }
    }
  }

  private void warn(String message, RuntimeException e) {
    long now = System.nanoTime();
    if (now - lastWarning >= WARN_EVERY_NANOS) {
      lastWarning = now;
      LOG.log(Level.WARNING, message + " (said once a minute while it lasts)", e);
    } else {
      LOG.log(Level.FINE, message, e);
    }
  }
}
