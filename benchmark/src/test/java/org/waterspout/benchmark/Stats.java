package org.waterspout.benchmark;

import java.util.Arrays;

/** Percentiles of a set of durations in nanoseconds, printed in milliseconds. */
record Stats(long[] sorted) {

  static Stats of(long[] nanos) {
    long[] copy = nanos.clone();
    Arrays.sort(copy);
    return new Stats(copy);
  }

  double percentileMillis(double p) {
    int index = (int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1);
    return sorted[Math.max(0, index)] / 1e6;
  }

  @Override
  public String toString() {
    return String.format(
        "n=%d  p50=%.2f ms  p90=%.2f ms  p99=%.2f ms  max=%.2f ms",
        sorted.length,
        percentileMillis(50),
        percentileMillis(90),
        percentileMillis(99),
        sorted[sorted.length - 1] / 1e6);
  }
}
