package org.waterspout.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A distribution of values (nanoseconds, bytes) recorded on the hot path without a lock, read by
 * the admin page, the management beans and {@code /metrics}: HdrHistogram's {@link Recorder}, whose
 * writers never wait, and whose interval histogram the reader swaps out and adds to the totals
 * since start and to the recent window. The window is a ring of slices, so its percentiles follow
 * the current load; a sample belongs to the slice in which a reader collected it. Threads record
 * into one of a few recorders chosen by thread id, so threads on two cores mostly do not contend
 * for one recorder's counters; the reader adds up all of them.
 *
 * <p>Two significant digits: a percentile or a bucket edge is off by at most 1%, in about 25 KB per
 * histogram of a range from microseconds to an hour.
 */
public final class HistogramRecorder {

  private static final int DIGITS = 2;
  private static final int MAX_STRIPES = 8;

  private final long lowest;
  private final long highest;
  private final Recorder[] recorders;
  private final LongAdder sum = new LongAdder();
  private final LongSupplier nanoClock;
  private final long sliceNanos;
  private final Histogram[] slices;
  private final Histogram total;
  private final Histogram window;
  private final Histogram[] intervals;
  private int current;
  private long currentStart;

  /**
   * @param lowest the smallest value told apart from 0 (1 for bytes, 1000 for microseconds in ns)
   * @param highest the largest value kept as it is; larger ones are recorded as this one
   * @param recent how far back the window's percentiles reach
   * @param slices into how many parts the window is cut; it moves on by one part at a time
   */
  public HistogramRecorder(long lowest, long highest, Duration recent, int slices) {
    this(lowest, highest, recent, slices, System::nanoTime);
  }

  HistogramRecorder(long lowest, long highest, Duration recent, int slices, LongSupplier clock) {
    if (slices < 1 || recent.isNegative() || recent.toNanos() < slices) {
      throw new IllegalArgumentException("a window of " + recent + " in " + slices + " slices");
    }
    this.lowest = lowest;
    this.highest = highest;
    // Twice the cores, a power of two, at most MAX_STRIPES: each costs two histograms.
    int cores = Math.max(1, Runtime.getRuntime().availableProcessors());
    int stripes = Math.min(MAX_STRIPES, Integer.highestOneBit(cores) * 2);
    this.recorders = new Recorder[stripes];
    for (int i = 0; i < stripes; i++) {
      this.recorders[i] = new Recorder(lowest, highest, DIGITS);
    }
    this.intervals = new Histogram[stripes];
    this.nanoClock = clock;
    this.sliceNanos = recent.toNanos() / slices;
    this.slices = new Histogram[slices];
    for (int i = 0; i < slices; i++) {
      this.slices[i] = histogram();
    }
    this.total = histogram();
    this.window = histogram();
    this.currentStart = clock.getAsLong();
  }

  /** Records one value; safe from any number of threads at once, and never blocks. */
  public void record(long value) {
    long kept = Math.max(0, Math.min(value, highest));
    recorders[(int) Thread.currentThread().getId() & (recorders.length - 1)].recordValue(kept);
    sum.add(kept);
  }

  /**
   * The figures now: percentiles of the recent window, totals since start, and for each of {@code
   * upperBounds} (ascending) how many values since start were at most that bound.
   */
  public synchronized Snapshot snapshot(long... upperBounds) {
    collect();
    window.reset();
    for (Histogram slice : slices) {
      window.add(slice);
    }
    List<Long> atOrBelow = new ArrayList<>(upperBounds.length);
    for (long bound : upperBounds) {
      atOrBelow.add(bound < 0 ? 0 : total.getCountBetweenValues(0, Math.min(bound, highest)));
    }
    return new Snapshot(
        total.getTotalCount(),
        sum.sum(),
        window.getTotalCount(),
        percentile(50),
        percentile(90),
        percentile(99),
        window.getTotalCount() == 0 ? 0 : window.getMaxValue(),
        atOrBelow);
  }

  /**
   * HdrHistogram answers the top of its first bucket for an empty histogram (max too): 0 instead.
   */
  private long percentile(double percentile) {
    return window.getTotalCount() == 0 ? 0 : window.getValueAtPercentile(percentile);
  }

  /** Moves the ring on to the present, then adds what was recorded since the last read. */
  private void collect() {
    long now = nanoClock.getAsLong();
    long elapsed = now - currentStart;
    if (elapsed >= sliceNanos * slices.length) {
      for (Histogram slice : slices) {
        slice.reset();
      }
      currentStart = now;
    } else {
      for (; elapsed >= sliceNanos; elapsed -= sliceNanos) {
        current = (current + 1) % slices.length;
        slices[current].reset();
        currentStart += sliceNanos;
      }
    }
    for (int i = 0; i < recorders.length; i++) {
      intervals[i] = recorders[i].getIntervalHistogram(intervals[i]);
      slices[current].add(intervals[i]);
      total.add(intervals[i]);
    }
  }

  private Histogram histogram() {
    return new Histogram(lowest, highest, DIGITS);
  }

  /**
   * @param count values recorded since start
   * @param sum their sum
   * @param windowCount values in the recent window, which the percentiles are taken from
   * @param p50 median of the window (0 when it is empty)
   * @param p90 90th percentile of the window
   * @param p99 99th percentile of the window
   * @param max largest value in the window
   * @param atOrBelow per upper bound asked for, the values since start at most that bound
   */
  public record Snapshot(
      long count,
      long sum,
      long windowCount,
      long p50,
      long p90,
      long p99,
      long max,
      List<Long> atOrBelow) {

    public Snapshot {
      atOrBelow = List.copyOf(atOrBelow);
    }
  }
}
