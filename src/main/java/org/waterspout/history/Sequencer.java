package org.waterspout.history;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Numbers stored notifications in their recipients' sequences as soon as their intake commits, in
 * batches ({@link History#sequencePending}), one batch at a time on this instance, and pushes each
 * batch once it is committed ({@link NotificationStored}). {@link HistoryTasks} also wakes it every
 * second, for notifications left waiting by a failure or a crash.
 */
@ApplicationScoped
public class Sequencer {

  private static final Logger LOG = Logger.getLogger(Sequencer.class.getName());

  /** Notifications numbered in one transaction, at most. */
  static final int BATCH = 200;

  /** Places in sequences given out in one transaction before it stops taking notifications. */
  static final int MAX_PLACES = 10_000;

  /** Intake times kept for the latency figures, at most (beyond: the push time stands in). */
  private static final int MAX_TIMES = 100_000;

  @Inject History history;
  @Inject Event<NotificationStored> stored;

  @Resource(lookup = "java:comp/DefaultManagedExecutorService")
  ManagedExecutorService executor;

  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicBoolean wanted = new AtomicBoolean();
  private final Map<String, Long> acceptedAt = new ConcurrentHashMap<>();

  void pending(@Observes(during = TransactionPhase.AFTER_SUCCESS) NotificationPending event) {
    if (acceptedAt.size() < MAX_TIMES) {
      acceptedAt.put(event.id(), event.acceptedAt());
    }
    wake();
  }

  /** Numbers whatever is waiting, now or right after the batch under way. */
  public void wake() {
    wanted.set(true);
    if (running.compareAndSet(false, true)) {
      try {
        executor.execute(this::drain);
      } catch (RejectedExecutionException e) {
        running.set(false);
        LOG.log(Level.WARNING, "Could not start numbering notifications; retrying in a second", e);
      }
    }
  }

  private void drain() {
    try {
      while (wanted.getAndSet(false)) {
        List<Stored> batch;
        do {
          batch = history.sequencePending(BATCH, MAX_PLACES);
          for (Stored notification : batch) {
            Long accepted = acceptedAt.remove(notification.id());
            stored.fire(
                new NotificationStored(
                    notification, accepted != null ? accepted : System.nanoTime()));
          }
        } while (!batch.isEmpty());
      }
    } catch (RuntimeException e) {
      // Nothing is lost: the notifications stay in ws_pending, and the next wake numbers them.
      LOG.log(Level.WARNING, "Numbering notifications failed; retrying in a second", e);
    } finally {
      running.set(false);
      if (wanted.get()) {
        wake();
      }
    }
  }
}
