package org.waterspout.delivery;

import java.util.Arrays;

/**
 * The most recent latency samples, for percentiles that follow the current load rather than the
 * whole uptime. Fixed memory: one {@code long} per sample slot.
 */
public final class LatencyWindow {

  private final long[] samples;
  private long recorded;
  private long sumNanos;

  public LatencyWindow(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("size must be positive: " + size);
    }
    samples = new long[size];
  }

  public synchronized void record(long nanos) {
    samples[(int) (recorded % samples.length)] = nanos;
    recorded++;
    sumNanos += nanos;
  }

  /** Percentiles of the samples in the window, and totals since start. */
  public Snapshot snapshot() {
    long[] window;
    long count;
    long sum;
    synchronized (this) {
      count = recorded;
      sum = sumNanos;
      window = Arrays.copyOf(samples, (int) Math.min(recorded, samples.length));
    }
    Arrays.sort(window);
    return new Snapshot(
        count,
        sum,
        window.length,
        rank(window, 0.50),
        rank(window, 0.90),
        rank(window, 0.99),
        window.length == 0 ? 0 : window[window.length - 1]);
  }

  /** Nearest-rank percentile; 0 for an empty window. */
  static long rank(long[] sorted, double quantile) {
    if (sorted.length == 0) {
      return 0;
    }
    int index = (int) Math.ceil(quantile * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(index, sorted.length - 1))];
  }

  /**
   * @param count samples recorded since start
   * @param sumNanos their sum
   * @param windowSize samples the percentiles are computed from
   * @param p50Nanos median of the window
   * @param p90Nanos 90th percentile of the window
   * @param p99Nanos 99th percentile of the window
   * @param maxNanos largest sample in the window
   */
  public record Snapshot(
      long count,
      long sumNanos,
      int windowSize,
      long p50Nanos,
      long p90Nanos,
      long p99Nanos,
      long maxNanos) {}
}
