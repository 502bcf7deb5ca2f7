package org.waterspout.history;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.util.ArrayList;
import java.util.Collection;
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
import org.waterspout.config.Settings;
import org.waterspout.timing.Workers;

/**
 * Acknowledgements on their way to the database, coalesced: the sockets' threads only note the
 * highest number per user and stream, and one writer stores whatever gathered, many users in one
 * transaction ({@link AckStore}). A burst of acks from one session is one write; a thousand
 * sessions acknowledging one group notification are one transaction. A failed write is kept and
 * tried again a second later.
 *
 * <p>Two cadences. Acks of a user's own stream, the first ack that records where a user starts
 * following a group, and acks of a group stream that holds a notification waiting for its receipt
 * are stored {@link #DELAY_MILLIS} after the first. The other acks of group streams are stored
 * {@link Settings.History#groupAckDelay} after the first (30 s by default), so that a member who
 * sees a group notification every few seconds costs one write in that time rather than one per
 * notification: a group's members would otherwise be a database write each for every notification
 * to the group. A session that closes has its group acks stored at the short delay.
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

  @Inject Settings settings;

  @Inject Receipts receipts;

  private final Gathering soon = new Gathering();
  private final Gathering later = new Gathering();

  /** Group streams holding a notification that waits for its receipt: until when (epoch ms). */
  private final Map<String, Long> receiptStreams = new ConcurrentHashMap<>();

  private volatile boolean stopped;
  private volatile long lastWarning;
  private volatile long lastPruned;

  private record Key(String user, String stream) {}

  /** Acks waiting for one cadence's writer. */
  private static final class Gathering {
    final Map<Key, Ack> waiting = new ConcurrentHashMap<>();
    final AtomicBoolean scheduled = new AtomicBoolean();
  }

  /**
   * At start, on a thread of the application: the store is made here, with its persistence context,
   * rather than by the first write on a worker thread, which, during an undeployment, can no longer
   * look it up (Payara logged "No object bound to name java:comp/env/...AckStore/em" and the
   * acknowledgements left at shutdown were lost). The group streams that wait for receipts from
   * before this start are read here too.
   */
  void started(@Observes @Initialized(ApplicationScoped.class) Object event) {
    store.ready();
    try {
      long until = System.currentTimeMillis() + settings.history().unseenAfter().toMillis();
      receipts.groupStreamsWaiting().forEach(stream -> receiptStreams.put(stream, until));
    } catch (RuntimeException e) {
      // The history may be away at start: those receipts then come at the group-ack delay.
      LOG.log(Level.WARNING, "Could not read which group streams wait for receipts", e);
    }
  }

  /**
   * After a batch of notifications is numbered: the group streams of those that want a receipt get
   * their acks stored soon, until the receipt's time is up. Observed before the router pushes it
   * (the lower priority first), so no member's ack of it can come before.
   */
  void numbered(
      @Observes(during = TransactionPhase.AFTER_SUCCESS)
          @Priority(Interceptor.Priority.LIBRARY_BEFORE)
          NotificationNumbered event) {
    Numbered numbered = event.numbered();
    if (!numbered.receipt()) {
      return;
    }
    long now = System.currentTimeMillis();
    if (now - lastPruned > TimeUnit.MINUTES.toMillis(1)) {
      // Streams whose receipts are all decided and that no member acknowledged since.
      lastPruned = now;
      receiptStreams.values().removeIf(until -> until < now);
    }
    long until = now + settings.history().unseenAfter().toMillis();
    for (Place place : numbered.places()) {
      if (Streams.isGroup(place.stream())) {
        receiptStreams.put(place.stream(), until);
      }
    }
  }

  /**
   * Notes an acknowledgement, to be stored shortly. A user's stream has one entry in one of the two
   * gatherings: an ack that is due soon takes the one held for later with it, and one that could
   * wait joins the one already due soon.
   */
  public void add(Ack ack) {
    Key key = new Key(ack.user(), ack.stream());
    if (deferred(ack) && !soon.waiting.containsKey(key)) {
      later.waiting.merge(key, ack, Ack::merge);
      schedule(later, groupDelayMillis());
      return;
    }
    Ack held = later.waiting.remove(key);
    soon.waiting.merge(key, held == null ? ack : held.merge(ack), Ack::merge);
    schedule(soon, DELAY_MILLIS);
  }

  /** A session of {@code user} closed: its acks of these streams are stored soon. */
  public void closed(String user, Collection<String> streams) {
    boolean moved = false;
    for (String stream : streams) {
      Key key = new Key(user, stream);
      Ack ack = later.waiting.remove(key);
      if (ack != null) {
        soon.waiting.merge(key, ack, Ack::merge);
        moved = true;
      }
    }
    if (moved) {
      schedule(soon, DELAY_MILLIS);
    }
  }

  /** The highest acknowledgement of the user's stream not stored yet, if any. */
  public OptionalLong waiting(String user, String stream) {
    Key key = new Key(user, stream);
    long seq = Math.max(seq(soon.waiting.get(key)), seq(later.waiting.get(key)));
    return seq < 0 ? OptionalLong.empty() : OptionalLong.of(seq);
  }

  private static long seq(Ack ack) {
    return ack == null || ack.initial() ? -1 : ack.seq();
  }

  private boolean deferred(Ack ack) {
    if (ack.initial() || !Streams.isGroup(ack.stream()) || groupDelayMillis() <= DELAY_MILLIS) {
      return false;
    }
    Long until = receiptStreams.get(ack.stream());
    if (until == null) {
      return true;
    }
    if (until < System.currentTimeMillis()) {
      receiptStreams.remove(ack.stream(), until);
      return true;
    }
    return false;
  }

  private long groupDelayMillis() {
    return settings.history().groupAckDelay().toMillis();
  }

  /**
   * Stores what is waiting before the application stops: both gatherings, until neither holds any
   * (a session closing meanwhile moves its acks from one to the other).
   */
  @PreDestroy
  void stop() {
    stopped = true;
    try {
      while (!soon.waiting.isEmpty() || !later.waiting.isEmpty()) {
        for (Gathering gathering : List.of(soon, later)) {
          List<Ack> batch = take(gathering);
          if (!batch.isEmpty()) {
            store.write(batch);
          }
        }
      }
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "Acknowledgements were lost at shutdown: " + (soon.waiting.size() + later.waiting.size()),
          e);
    }
  }

  private void schedule(Gathering gathering, long delayMillis) {
    if (stopped || !gathering.scheduled.compareAndSet(false, true)) {
      return;
    }
    try {
      workers.scheduleWrite(() -> flush(gathering), delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      gathering.scheduled.set(false);
      LOG.log(Level.WARNING, "Could not schedule the acknowledgement writer", e);
    }
  }

  /**
   * Writes the users' streams that had acks waiting when it started (with whatever merged into them
   * since), not those that come in while it writes: they wait for the next turn, a delay after this
   * one ends, or a writer slower than the acks come would never stop and the delay would gather
   * nothing. One turn at a time per gathering: the next is scheduled only when this one ends. Once
   * the application stops, {@link #stop} writes the rest.
   */
  private void flush(Gathering gathering) {
    long next = gathering == later ? groupDelayMillis() : DELAY_MILLIS;
    try {
      List<Key> keys = new ArrayList<>(gathering.waiting.keySet());
      for (int from = 0; from < keys.size() && !stopped; from += BATCH) {
        List<Ack> batch = new ArrayList<>();
        for (Key key : keys.subList(from, Math.min(keys.size(), from + BATCH))) {
          Ack ack = gathering.waiting.remove(key);
          if (ack != null) {
            batch.add(ack);
          }
        }
        if (batch.isEmpty()) {
          continue;
        }
        try {
          store.write(batch);
        } catch (RuntimeException e) {
          // Kept (unless newer ones came meanwhile) and tried again: the database may be away.
          batch.forEach(
              ack -> gathering.waiting.merge(new Key(ack.user(), ack.stream()), ack, Ack::merge));
          warn(e);
          next = RETRY_MILLIS;
          return;
        }
      }
    } finally {
      gathering.scheduled.set(false);
      if (!gathering.waiting.isEmpty()) {
        schedule(gathering, next);
      }
    }
  }

  private static List<Ack> take(Gathering gathering) {
    List<Ack> batch = new ArrayList<>();
    Iterator<Map.Entry<Key, Ack>> entries = gathering.waiting.entrySet().iterator();
    while (batch.size() < BATCH && entries.hasNext()) {
      Map.Entry<Key, Ack> entry = entries.next();
      // Removed only as the value it was: one that merged a newer ack stays for the next batch.
      if (gathering.waiting.remove(entry.getKey(), entry.getValue())) {
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
