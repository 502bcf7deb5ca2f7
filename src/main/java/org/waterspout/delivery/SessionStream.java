package org.waterspout.delivery;

import java.util.OptionalInt;
import java.util.function.LongSupplier;
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
 *
 * <p>The order and the held notifications are kept by a {@link StreamPosition}; the reading of
 * history pages by a {@link HistoryReplay}.
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

  private final StreamFrames frames;
  private final StreamPosition position;
  private final HistoryReplay replay;

  public SessionStream(
      StreamFrames frames,
      Source source,
      Tasks tasks,
      Sink sink,
      Limits limits,
      LongSupplier clockMillis) {
    this.position = new StreamPosition(frames, sink, limits, tasks, clockMillis, this::catchUp);
    this.replay = new HistoryReplay(position, frames, source, tasks, sink, limits);
    this.frames = frames;
  }

  /** The stream this session follows. */
  public String stream() {
    return frames.stream();
  }

  /** A live notification of this stream (or a number passed over). */
  public void offer(Outgoing frame) {
    position.offer(frame);
  }

  /**
   * Starts, or starts again, after {@code after}: reads the history from there, then goes live;
   * goes live at once when {@code after} is the highest number known: {@code latest}, the stream's
   * last number as read after this session was registered for live notifications (so none after it
   * can be missed), or a later one this session was offered since. Started again (a {@code resume}
   * that came after the resume wait ran out), it starts after {@code after} or after the last
   * number it handed on, whichever is later: a late resume moves a stream on, and never sends this
   * session a notification twice.
   */
  public void begin(long after, long latest) {
    OptionalInt current = position.begin(after, latest);
    if (current.isPresent()) {
      replay.start(current.getAsInt(), after);
    }
  }

  /**
   * Starts as {@link #begin}, unless the stream has started: checked and started at once, so a
   * client's {@code resume} that comes at the same moment is never undone.
   */
  public void beginUnlessStarted(long after, long latest) {
    synchronized (position) {
      if (position.started()) {
        return;
      }
      begin(after, latest);
    }
  }

  /** Whether {@link #begin} was called. */
  public boolean started() {
    return position.started();
  }

  /** The highest number handed on (or passed over). */
  public long last() {
    return position.last();
  }

  /** The highest number this session knows the stream has reached. */
  public long known() {
    return position.known();
  }

  /** Stops: nothing more is handed on. */
  public void close() {
    position.close();
  }

  /** A hole live delivery did not fill, or dropped live notifications: read them back. */
  private void catchUp(int generation) {
    replay.readOn(generation);
  }
}
