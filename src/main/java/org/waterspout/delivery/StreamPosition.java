package org.waterspout.delivery;

import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;

/**
 * Where one session stands in one stream, and the live notifications it holds back until their
 * turn: hands on each number once and in order, passes over numbers the session gets elsewhere, and
 * waits a while for a missing live notification before it has the history read from the hole.
 *
 * <p>Its monitor is the stream's one lock: every method takes it, and {@link HistoryReplay} holds
 * it over a whole page, so that live notifications and replayed ones never interleave.
 */
final class StreamPosition {

  private final StreamFrames frames;
  private final SessionStream.Sink sink;
  private final SessionStream.Limits limits;
  private final SessionStream.Tasks tasks;
  private final LongSupplier clock;

  /** Reads the history on from {@link #last} for the given generation (off this thread). */
  private final IntConsumer catchUp;

  private final TreeMap<Long, Outgoing> held = new TreeMap<>();
  private long last;
  private long known;
  private boolean started;
  private boolean catchingUp;
  private boolean overflowed;
  private boolean holeWatched;
  private boolean closed;
  private int generation;

  StreamPosition(
      StreamFrames frames,
      SessionStream.Sink sink,
      SessionStream.Limits limits,
      SessionStream.Tasks tasks,
      LongSupplier clockMillis,
      IntConsumer catchUp) {
    this.frames = frames;
    this.sink = sink;
    this.limits = limits;
    this.tasks = tasks;
    this.clock = clockMillis;
    this.catchUp = catchUp;
  }

  /** A live notification of this stream (or a number passed over). */
  synchronized void offer(Outgoing frame) {
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

  /**
   * Starts, or starts again, after {@code after} (see {@link SessionStream#begin}): the generation
   * whose replay is to read the history from there, or empty when it went live at once (or the
   * stream is closed). Started again, it never goes back over what it handed on already: those
   * frames are in the session's outbox, ahead of anything this begin hands on.
   */
  synchronized OptionalInt begin(long after, long latest) {
    if (closed) {
      return OptionalInt.empty();
    }
    if (started) {
      after = Math.max(after, last);
    }
    int current = ++generation;
    started = true;
    // A hole watch of the previous generation ends without looking: let this one watch anew.
    holeWatched = false;
    known = Math.max(known, latest);
    if (after == Math.max(latest, last)) {
      last = after;
      catchingUp = false;
      drainHeld();
      return OptionalInt.empty();
    }
    catchingUp = true;
    return OptionalInt.of(current);
  }

  synchronized boolean started() {
    return started;
  }

  /** The highest number handed on (or passed over). */
  synchronized long last() {
    return last;
  }

  /** The highest number this session knows the stream has reached. */
  synchronized long known() {
    return Math.max(known, last);
  }

  /** Stops: nothing more is handed on. */
  synchronized void close() {
    closed = true;
    held.clear();
  }

  synchronized boolean closed() {
    return closed;
  }

  /** Whether the stream closed, or began again, since the read of generation {@code current}. */
  synchronized boolean superseded(int current) {
    return closed || current != generation;
  }

  /**
   * The replay's first page was read: it goes on after {@code from}, or, when that cursor is ahead
   * of the stream's {@code latest} number, says so and goes on from the latest.
   */
  synchronized void replayAfter(long from, long latest) {
    last = from;
    if (from > latest) {
      handOnControl(frames.cursorAhead(from, latest));
      last = latest;
    }
  }

  /** The stream has reached {@code latest}, as a page read from the history says. */
  synchronized void reached(long latest) {
    known = Math.max(known, latest);
  }

  /** The live frame of {@code seq} held back while its page was read, if it came meanwhile. */
  synchronized Outgoing takeHeld(long seq) {
    return held.remove(seq);
  }

  /** Whether live notifications were dropped since the last look (they are to be read back). */
  synchronized boolean takeOverflowed() {
    boolean was = overflowed;
    overflowed = false;
    return was;
  }

  /** The replay is done: hands on the held notifications it has not sent, and goes live. */
  synchronized void goLive() {
    catchingUp = false;
    drainHeld();
  }

  /** Hands on a frame in turn: sent unless it is a skip or has expired. */
  synchronized void handOn(Outgoing frame) {
    last = frame.seq();
    if (!frame.isSkip() && !frame.expiredAt(clock.getAsLong()) && !sink.offer(frame)) {
      close();
    }
  }

  /** Reports the numbers after {@link #last} up to {@code to} as gone, and moves on past them. */
  synchronized void gapTo(long to) {
    handOnControl(frames.gap(last + 1, to));
    last = to;
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
    tasks.later(() -> holeWaited(current), limits.holeWaitMillis());
  }

  private synchronized void holeWaited(int current) {
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

  private void catchUp() {
    catchingUp = true;
    overflowed = false;
    catchUp.accept(generation);
  }

  private void handOnControl(String frame) {
    if (!sink.offer(Outgoing.control(frame))) {
      close();
    }
  }
}
