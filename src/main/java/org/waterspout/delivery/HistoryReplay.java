package org.waterspout.delivery;

import java.util.logging.Level;
import java.util.logging.Logger;
import org.waterspout.history.Page;

/**
 * Reads one session's stream back from the history, a page at a time as its outbox empties, and
 * hands each page on through its {@link StreamPosition}: gaps where retention deleted numbers, the
 * live frame instead of the stored one when it came meanwhile, and the live notifications held back
 * once the last page is in. Each read belongs to a generation of the position (one per {@code
 * begin} or catch-up) and ends without effect when a later one started or the stream closed; a
 * failed read is retried.
 */
final class HistoryReplay {

  private static final Logger LOG = Logger.getLogger(HistoryReplay.class.getName());
  private static final long RETRY_MILLIS = 1000;
  private static final long ROOM_POLL_MILLIS = 20;

  private final StreamPosition position;
  private final StreamFrames frames;
  private final SessionStream.Source source;
  private final SessionStream.Tasks tasks;
  private final SessionStream.Sink sink;
  private final SessionStream.Limits limits;

  HistoryReplay(
      StreamPosition position,
      StreamFrames frames,
      SessionStream.Source source,
      SessionStream.Tasks tasks,
      SessionStream.Sink sink,
      SessionStream.Limits limits) {
    this.position = position;
    this.frames = frames;
    this.source = source;
    this.tasks = tasks;
    this.sink = sink;
    this.limits = limits;
  }

  /** Replays generation {@code current} from after {@code after}, off the caller's thread. */
  void start(int current, long after) {
    tasks.later(() -> first(current, after), 0);
  }

  /**
   * Reads generation {@code current} on from where the position stands, off the caller's thread.
   */
  void readOn(int current) {
    tasks.later(() -> next(current), 0);
  }

  private void first(int current, long after) {
    if (position.superseded(current)) {
      // A later begin (another resume) came before this one read anything: it reads instead.
      return;
    }
    Page page;
    try {
      page = source.after(after, limits.pageSize());
    } catch (RuntimeException e) {
      retry(current, () -> first(current, after), e);
      return;
    }
    synchronized (position) {
      if (position.superseded(current)) {
        return;
      }
      position.replayAfter(after, page.latest());
    }
    // A gap right after the cursor (retention dropped what came next) is reported by apply, as
    // any gap further on.
    apply(current, page);
  }

  private void next(int current) {
    if (position.superseded(current)) {
      return;
    }
    if (sink.queued() > limits.lowWater()) {
      tasks.later(() -> next(current), ROOM_POLL_MILLIS);
      return;
    }
    long from;
    synchronized (position) {
      if (position.superseded(current)) {
        return;
      }
      from = position.last();
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
    synchronized (position) {
      if (position.superseded(current)) {
        return;
      }
      position.reached(page.latest());
      for (Page.Entry entry : page.entries()) {
        if (entry.seq() > position.last() + 1) {
          // Numbers commit in order, so a missing one below a stored one is one that retention
          // deleted while this session read its way there: say so, as at the start.
          position.gapTo(entry.seq() - 1);
        }
        if (entry.seq() > position.last() && !position.closed()) {
          // The live frame when it came meanwhile: it still carries its intake time.
          Outgoing live = position.takeHeld(entry.seq());
          position.handOn(live != null ? live : replayed(entry));
        }
      }
      if (page.entries().isEmpty() && page.latest() > position.last()) {
        // Everything up to the latest number was committed before the page was read, and none
        // of it is left: retention deleted it.
        position.gapTo(page.latest());
      }
      if (position.closed()) {
        return;
      }
      // More when the page was full, or when it stopped short of numbers known to be committed
      // (a page is cut short by size too).
      boolean more = page.entries().size() >= limits.pageSize() || position.last() < page.latest();
      // Live notifications dropped while this page was read: read once more for them.
      if (!more && !position.takeOverflowed()) {
        position.goLive();
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
    if (!position.superseded(current)) {
      tasks.later(task, RETRY_MILLIS);
    }
  }
}
