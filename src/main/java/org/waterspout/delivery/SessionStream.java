package org.waterspout.delivery;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.waterspout.history.Page;

/**
 * One session's view of one stream it follows (its user's own, or one of its groups'): hands the
 * stream's notifications to the session in order, each once, whether they come live or from the
 * history; numbers the session gets in another of its streams are passed over silently.
 *
 * <p>A session starts when it knows where to begin ({@link #begin}): after the client's resume
 * cursor, or after the user's acknowledged notifications. When that is the stream's last number as
 * read at sign-in, it goes live at once, with no read. It then reads the history from there, a page
 * at a time as the outbox empties, while holding live notifications back; after the last page it
 * hands on the held ones it has not already sent, and goes live. Live notifications may arrive out
 * of order (two intake transactions commit in sequence order, but their after-commit pushes race):
 * a later one waits for the missing one, and if that does not come soon, the session reads the
 * history from the hole. Anything this class drops it can read back, because everything in a
 * sequence is committed to the history before it is pushed.
 */
public final class SessionStream {

  /** The stream's history, as this session reads it. */
  @FunctionalInterface
  public interface Source {
    /**
     * Up to {@code limit} notifications after {@code seq} (fewer when they are large), and the
     * stream's last number.
     */
    Page after(long seq, int limit);
  }

  /** Runs a task later on another thread. */
  @FunctionalInterface
  public interface Tasks {
    void later(Runnable task, long delayMillis);
  }

  /** The session's outbox. */
  public interface Sink {
    /** Queues a frame; false when the session refused it and is closing. */
    boolean offer(Outgoing frame);

    /** Frames waiting to be sent. */
    int queued();
  }

  /**
   * Tunables.
   *
   * @param pageSize notifications read from the history at once
   * @param lowWater queued frames below which the next page is read
   * @param maxHeld live notifications held back before they are dropped (and later read back)
   * @param holeWaitMillis how long a missing live notification is waited for
   */
  public record Limits(int pageSize, int lowWater, int maxHeld, long holeWaitMillis) {

    /** Limits for an outbox of {@code capacity} frames. */
    public static Limits forOutbox(int capacity) {
      int page = Math.max(1, Math.min(100, capacity / 4));
      // As many held frames as the outbox holds: a session that cannot take them all once they
      // are due is as slow as one whose outbox overflows live, and is closed the same way (1013).
      return new Limits(page, Math.max(1, capacity / 4), Math.max(16, capacity), 300);
    }
  }

  private static final Logger LOG = Logger.getLogger(SessionStream.class.getName());
  private static final long RETRY_MILLIS = 1000;
  private static final long ROOM_POLL_MILLIS = 20;

  private final StreamFrames frames;
  private final Source source;
  private final Tasks tasks;
  private final Sink sink;
  private final Limits limits;
  private final LongSupplier clock;

  private final Object lock = new Object();
  private final TreeMap<Long, Outgoing> held = new TreeMap<>();
  private long last;
  private long known;
  private boolean started;
  private boolean catchingUp;
  private boolean overflowed;
  private boolean holeWatched;
  private boolean closed;
  private int generation;

  public SessionStream(
      StreamFrames frames,
      Source source,
      Tasks tasks,
      Sink sink,
      Limits limits,
      LongSupplier clockMillis) {
    this.frames = frames;
    this.source = source;
    this.tasks = tasks;
    this.sink = sink;
    this.limits = limits;
    this.clock = clockMillis;
  }

  /** The stream this session follows. */
  public String stream() {
    return frames.stream();
  }

  /** A live notification of this stream (or a number passed over). */
  public void offer(Outgoing frame) {
    synchronized (lock) {
      known = Math.max(known, frame.seq());
      if (closed || (started && !catchingUp && frame.seq() <= last)) {
        return;
      }
      if (!started || catchingUp || frame.seq() != last + 1) {
        hold(frame);
        return;
      }
      handOn(frame);
      drainHeld();
    }
  }

  /**
   * Starts, or starts again, after {@code after}: reads the history from there, then goes live;
   * goes live at once when {@code after} is the highest number known: {@code latest}, the stream's
   * last number as read after this session was registered for live notifications (so none after it
   * can be missed), or a later one this session was offered since.
   */
  public void begin(long after, long latest) {
    int current;
    synchronized (lock) {
      if (closed) {
        return;
      }
      current = ++generation;
      started = true;
      // A hole watch of the previous generation ends without looking: let this one watch anew.
      holeWatched = false;
      known = Math.max(known, latest);
      if (after == Math.max(latest, last)) {
        last = after;
        catchingUp = false;
        drainHeld();
        return;
      }
      catchingUp = true;
    }
    tasks.later(() -> first(current, after), 0);
  }

  /**
   * Starts as {@link #begin}, unless the stream has started: checked and started at once, so a
   * client's {@code resume} that comes at the same moment is never undone.
   */
  public void beginUnlessStarted(long after, long latest) {
    synchronized (lock) {
      if (started) {
        return;
      }
      begin(after, latest);
    }
  }

  /** Whether {@link #begin} was called. */
  public boolean started() {
    synchronized (lock) {
      return started;
    }
  }

  /** The highest number handed on (or passed over). */
  public long last() {
    synchronized (lock) {
      return last;
    }
  }

  /** The highest number this session knows the stream has reached. */
  public long known() {
    synchronized (lock) {
      return Math.max(known, last);
    }
  }

  /** Stops: nothing more is handed on. */
  public void close() {
    synchronized (lock) {
      closed = true;
      held.clear();
    }
  }

  private void first(int current, long after) {
    if (superseded(current)) {
      // A later begin (another resume) came before this one read anything: it reads instead.
      return;
    }
    long from = after;
    Page page;
    try {
      page = source.after(from, limits.pageSize());
    } catch (RuntimeException e) {
      retry(current, () -> first(current, after), e);
      return;
    }
    synchronized (lock) {
      if (superseded(current)) {
        return;
      }
      last = from;
      if (from > page.latest()) {
        handOnControl(frames.cursorAhead(from, page.latest()));
        last = page.latest();
      }
    }
    // A gap right after the cursor (retention dropped what came next) is reported by apply, as
    // any gap further on.
    apply(current, page);
  }

  private void next(int current) {
    if (superseded(current)) {
      return;
    }
    if (sink.queued() > limits.lowWater()) {
      tasks.later(() -> next(current), ROOM_POLL_MILLIS);
      return;
    }
    long from;
    synchronized (lock) {
      if (superseded(current)) {
        return;
      }
      from = last;
    }
    Page page;
    try {
      page = source.after(from, limits.pageSize());
    } catch (RuntimeException e) {
      retry(current, () -> next(current), e);
      return;
    }
    apply(current, page);
  }

  private void apply(int current, Page page) {
    synchronized (lock) {
      if (superseded(current)) {
        return;
      }
      known = Math.max(known, page.latest());
      for (Page.Entry entry : page.entries()) {
        if (entry.seq() > last + 1) {
          // Numbers commit in order, so a missing one below a stored one is one that retention
          // deleted while this session read its way there: say so, as at the start.
          gapTo(entry.seq() - 1);
        }
        if (entry.seq() > last && !closed) {
          // The live frame when it came meanwhile: it still carries its intake time.
          Outgoing live = held.remove(entry.seq());
          handOn(live != null ? live : replayed(entry));
        }
      }
      if (page.entries().isEmpty() && page.latest() > last) {
        // Everything up to the latest number was committed before the page was read, and none
        // of it is left: retention deleted it.
        gapTo(page.latest());
      }
      if (closed) {
        return;
      }
      // More when the page was full, or when it stopped short of numbers known to be committed
      // (a page is cut short by size too).
      boolean more = page.entries().size() >= limits.pageSize() || last < page.latest();
      if (!more && overflowed) {
        // Live notifications were dropped while this page was read: read once more for them.
        overflowed = false;
        more = true;
      }
      if (!more) {
        catchingUp = false;
        drainHeld();
        return;
      }
    }
    tasks.later(() -> next(current), 0);
  }

  private Outgoing replayed(Page.Entry entry) {
    return entry.elsewhere()
        ? Outgoing.skip(frames.stream(), entry.seq())
        : Outgoing.replayed(
            frames.numbered(entry.frame(), entry.seq()),
            frames.stream(),
            entry.seq(),
            entry.expiresAt());
  }

  private void retry(int current, Runnable task, RuntimeException e) {
    LOG.log(Level.WARNING, "Reading the history failed; retrying in " + RETRY_MILLIS + " ms", e);
    if (!superseded(current)) {
      tasks.later(task, RETRY_MILLIS);
    }
  }

  /** Whether the stream closed, or began again, since the read of generation {@code current}. */
  private boolean superseded(int current) {
    synchronized (lock) {
      return closed || current != generation;
    }
  }

  private void hold(Outgoing frame) {
    held.put(frame.seq(), frame);
    if (held.size() > limits.maxHeld()) {
      // The history has them all: drop, and read them back.
      held.clear();
      overflowed = true;
      if (started && !catchingUp) {
        catchUp();
      }
    } else if (started && !catchingUp) {
      watchHole();
    }
  }

  private void drainHeld() {
    while (!held.isEmpty() && !closed) {
      Map.Entry<Long, Outgoing> first = held.firstEntry();
      if (first.getKey() <= last) {
        held.pollFirstEntry();
      } else if (first.getKey() == last + 1) {
        held.pollFirstEntry();
        handOn(first.getValue());
      } else {
        watchHole();
        return;
      }
    }
  }

  private void watchHole() {
    if (holeWatched) {
      return;
    }
    holeWatched = true;
    int current = generation;
    tasks.later(
        () -> {
          synchronized (lock) {
            holeWatched = false;
            if (superseded(current) || catchingUp || held.isEmpty()) {
              return;
            }
            if (held.firstKey() > last + 1) {
              catchUp();
            } else {
              drainHeld();
            }
          }
        },
        limits.holeWaitMillis());
  }

  private void catchUp() {
    catchingUp = true;
    overflowed = false;
    int current = generation;
    tasks.later(() -> next(current), 0);
  }

  private void handOn(Outgoing frame) {
    last = frame.seq();
    if (!frame.isSkip() && !frame.expiredAt(clock.getAsLong()) && !sink.offer(frame)) {
      close();
    }
  }

  private void gapTo(long to) {
    handOnControl(frames.gap(last + 1, to));
    last = to;
  }

  private void handOnControl(String frame) {
    if (!sink.offer(Outgoing.control(frame))) {
      close();
    }
  }
}
