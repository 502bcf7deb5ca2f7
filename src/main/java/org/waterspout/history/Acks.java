package org.waterspout.history;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.waterspout.timing.Workers;

/**
 * Acknowledgements on their way to the database, coalesced: the sockets' threads only note the
 * highest number per user and stream, and one writer stores whatever gathered, many users in one
 * transaction ({@link AckStore}), {@link #DELAY_MILLIS} after the first. A burst of acks from one
 * session is one write; a thousand sessions acknowledging one group notification are one
 * transaction. A failed write is kept and tried again a second later.
 */
@ApplicationScoped
public class Acks {

  private static final Logger LOG = Logger.getLogger(Acks.class.getName());

  /** How long acknowledgements gather before they are written. */
  static final long DELAY_MILLIS = 50;

  /** Acknowledgements written in one transaction, at most. */
  static final int BATCH = 1000;

  private static final long RETRY_MILLIS = 1000;

  @Inject AckStore store;

  @Inject Workers workers;

  private final Map<Key, Ack> waiting = new ConcurrentHashMap<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private volatile boolean stopped;
  private volatile long lastWarning;

  private record Key(String user, String stream) {}

  /**
   * At start, on a thread of the application: the store is made here, with its persistence context,
   * rather than by the first write on a worker thread, which, during an undeployment, can no longer
   * look it up (Payara logged "No object bound to name java:comp/env/...AckStore/em" and the
   * acknowledgements left at shutdown were lost).
   */
  void started(@Observes @Initialized(ApplicationScoped.class) Object event) {
    store.ready();
  }

  /** Notes an acknowledgement, to be stored shortly. */
  public void add(Ack ack) {
    waiting.merge(new Key(ack.user(), ack.stream()), ack, Ack::merge);
    schedule(DELAY_MILLIS);
  }

  /** The highest acknowledgement of the user's stream not stored yet, if any. */
  public OptionalLong waiting(String user, String stream) {
    Ack ack = waiting.get(new Key(user, stream));
    return ack == null || ack.initial() ? OptionalLong.empty() : OptionalLong.of(ack.seq());
  }

  /** Stores what is waiting before the application stops. */
  @PreDestroy
  void stop() {
    stopped = true;
    try {
      while (!waiting.isEmpty()) {
        store.write(take());
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Acknowledgements were lost at shutdown: " + waiting.size(), e);
    }
  }

  private void schedule(long delayMillis) {
    if (stopped || !scheduled.compareAndSet(false, true)) {
      return;
    }
    try {
      workers.schedule(this::flush, delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      scheduled.set(false);
      LOG.log(Level.WARNING, "Could not schedule the acknowledgement writer", e);
    }
  }

  private void flush() {
    scheduled.set(false);
    List<Ack> batch = take();
    while (!batch.isEmpty() && !stopped) {
      try {
        store.write(batch);
      } catch (RuntimeException e) {
        // Kept (unless newer ones came meanwhile) and tried again: the database may be away.
        batch.forEach(ack -> waiting.merge(new Key(ack.user(), ack.stream()), ack, Ack::merge));
        warn(e);
        schedule(RETRY_MILLIS);
        return;
      }
      batch = take();
    }
  }

  private List<Ack> take() {
    List<Ack> batch = new ArrayList<>();
    Iterator<Map.Entry<Key, Ack>> entries = waiting.entrySet().iterator();
    while (batch.size() < BATCH && entries.hasNext()) {
      Map.Entry<Key, Ack> entry = entries.next();
      // Removed only as the value it was: one that merged a newer ack stays for the next batch.
      if (waiting.remove(entry.getKey(), entry.getValue())) {
        batch.add(entry.getValue());
      }
    }
    return batch;
  }

  private void warn(RuntimeException e) {
    long now = System.nanoTime();
    if (now - lastWarning > TimeUnit.MINUTES.toNanos(1)) {
      lastWarning = now;
      LOG.log(Level.WARNING, "Storing acknowledgements failed; retrying every second", e);
    } else {
      LOG.log(Level.FINE, "Storing acknowledgements failed again", e);
    }
  }
}
