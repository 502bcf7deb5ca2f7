package org.waterspout.history;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.waterspout.notification.Notification;

/**
 * Takes in accepted notifications with a group commit: the message-driven bean's threads each hand
 * one over and wait; whichever holds the writer stores all that are waiting in one transaction
 * ({@link IntakeStore}), and each thread returns once its own notification is committed, before its
 * message is acknowledged to the broker. With one message in flight this is a transaction per
 * message, as before; with the broker's sessions all busy, a commit serves as many messages as
 * arrived while the one before it ran. A batch that fails is stored again one notification at a
 * time, so only the notifications that fail alone are rolled back and redelivered.
 */
@ApplicationScoped
public class Intake {

  private static final Logger LOG = Logger.getLogger(Intake.class.getName());

  /** Notifications stored in one transaction, at most. */
  static final int BATCH = 64;

  @Inject IntakeStore store;

  /** How long a thread waits for its commit before it looks at the writer again (a safety net). */
  private static final long LOOK_AGAIN_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final ConcurrentLinkedQueue<Waiting> queue = new ConcurrentLinkedQueue<>();
  private final ReentrantLock writer = new ReentrantLock();
  private volatile boolean stopping;

  /**
   * A notification handed over by the message-driven bean.
   *
   * @param notification the decoded notification
   * @param frame its frame, encoded once
   * @param expiresAt its message's JMSExpiration (0: none)
   * @param reply where the order system wants its receipt
   * @param receivedAt {@link System#nanoTime()} when its message was taken in
   */
  public record Taken(
      Notification notification,
      String frame,
      long expiresAt,
      Optional<ReplyAddress> reply,
      long receivedAt) {}

  /** A notification waiting for its commit, and how it ended (set before {@code done}). */
  private static final class Waiting {
    final Taken taken;
    final Thread owner = Thread.currentThread();
    boolean stored;
    RuntimeException failure;
    volatile boolean done;

    Waiting(Taken taken) {
      this.taken = taken;
    }

    void finish() {
      done = true;
      LockSupport.unpark(owner);
    }
  }

  /**
   * The application is stopping: a delivery that holds its message while the database is away gives
   * it back to the broker, which redelivers it to an instance that stays.
   */
  public void stop() {
    stopping = true;
  }

  /** Whether {@link #stop} was called. */
  public boolean stopping() {
    return stopping;
  }

  /**
   * Stores a notification and returns once it is committed: true when it was stored, false when its
   * id was already stored (a duplicate, not pushed again). Throws when it could not be stored; its
   * message must then be redelivered. Call outside any transaction.
   */
  public boolean take(Taken taken) {
    Waiting mine = new Waiting(taken);
    queue.add(mine);
    boolean interrupted = false;
    while (!mine.done) {
      if (writer.tryLock()) {
        try {
          // The batches before this one's, if others queued first; this one's last.
          while (!mine.done) {
            List<Waiting> batch = drain();
            if (batch.isEmpty()) {
              break; // cannot be: this one is queued until a writer finishes it
            }
            write(batch);
          }
        } catch (Error e) {
          // An error while storing others' batch: this one's waits no more, and is not stored.
          queue.remove(mine);
          throw e;
        } finally {
          writer.unlock();
          // Whoever queued meanwhile and found the writer taken is waiting: the first one leads.
          Waiting next = queue.peek();
          if (next != null) {
            LockSupport.unpark(next.owner);
          }
        }
      } else {
        // Woken when done, or to lead; the time out is a safety net.
        LockSupport.parkNanos(this, LOOK_AGAIN_NANOS);
        if (Thread.interrupted()) {
          if (queue.remove(mine)) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while its notification was being stored");
          }
          // Already in a writer's transaction: its outcome decides, so wait for it.
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (mine.failure != null) {
      throw mine.failure;
    }
    return mine.stored;
  }

  /** Notifications handed over and not yet taken into a transaction. */
  int waiting() {
    return queue.size();
  }

  private List<Waiting> drain() {
    List<Waiting> batch = new ArrayList<>(Math.min(BATCH, 16));
    Waiting next;
    while (batch.size() < BATCH && (next = queue.poll()) != null) {
      batch.add(next);
    }
    return batch;
  }

  /**
   * Stores the batch in one transaction, or, when that fails, each notification alone; when two
   * alone in a row fail for want of the database (no connection), the rest fail without a try, so
   * that no one waits a connection time-out per notification. Every one is finished, whatever is
   * thrown.
   */
  private void write(List<Waiting> batch) {
    try {
      try {
        finish(batch, store.store(batch.stream().map(w -> w.taken).toList()));
        return;
      } catch (RuntimeException e) {
        if (batch.size() == 1) {
          fail(batch.get(0), e);
          return;
        }
        LOG.log(
            Level.FINE,
            "Storing " + batch.size() + " notifications together failed; storing each alone",
            e);
      }
      int awayInARow = 0;
      RuntimeException last = null;
      for (Waiting one : batch) {
        if (awayInARow >= 2) {
          fail(one, new IllegalStateException("Not stored: the history database is away", last));
          continue;
        }
        try {
          finish(List.of(one), store.store(List.of(one.taken)));
          awayInARow = 0;
        } catch (RuntimeException e) {
          fail(one, e);
          last = e;
          awayInARow = unreachable(e) ? awayInARow + 1 : 0;
        }
      }
    } finally {
      for (Waiting one : batch) {
        if (!one.done) {
          fail(one, new IllegalStateException("Its batch was not stored"));
        }
      }
    }
  }

  /**
   * Whether {@code e} says the database could not be reached (no connection from the pool, a
   * connection error's SQL state, class 08), not that one notification was refused.
   */
  public static boolean unreachable(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLTransientConnectionException
          || cause instanceof SQLNonTransientConnectionException
          || (cause instanceof SQLException sql
              && sql.getSQLState() != null
              && sql.getSQLState().startsWith("08"))
          || connector(cause)) {
        return true;
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return false;
  }

  /**
   * A connector's {@code ResourceException} (no connection from the pool, on Payara and WildFly),
   * found by name: the connector API is not needed otherwise.
   */
  private static boolean connector(Throwable cause) {
    for (Class<?> type = cause.getClass(); type != null; type = type.getSuperclass()) {
      if (type.getName().equals("jakarta.resource.ResourceException")) {
        return true;
      }
    }
    return false;
  }

  private static void finish(List<Waiting> batch, List<Boolean> stored) {
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).stored = stored.get(i);
      batch.get(i).finish();
    }
  }

  private static void fail(Waiting one, RuntimeException e) {
    one.failure = e;
    one.finish();
  }
}
