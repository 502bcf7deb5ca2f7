package org.waterspout.admin;

import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.Arrays;
import java.util.function.Function;
import org.waterspout.delivery.HistogramRecorder;

/**
 * A Prometheus histogram (cumulative {@code _bucket} series, {@code _sum}, {@code _count}) read
 * from a {@link HistogramRecorder} at each scrape, so the send path records once, into
 * HdrHistogram, and several instances' buckets add up in a query, which a summary's quantiles never
 * do.
 */
final class PrometheusHistogram implements Collector {

  private final String name;
  private final String help;
  private final Unit unit;
  private final double perRecorded;
  private final long[] recordedBounds;
  private final double[] upperBounds;
  private final Function<long[], HistogramRecorder.Snapshot> source;

  /**
   * @param name the metric's name, ending in its unit
   * @param unit seconds or bytes
   * @param perRecorded one recorded value in {@code unit} (1e-9 for nanoseconds as seconds)
   * @param upperBounds the buckets' upper bounds in {@code unit}, ascending; +Inf is added
   * @param source the recorder's snapshot with the counts at or below the given recorded bounds
   */
  PrometheusHistogram(
      String name,
      String help,
      Unit unit,
      double perRecorded,
      double[] upperBounds,
      Function<long[], HistogramRecorder.Snapshot> source) {
    this.name = name;
    this.help = help;
    this.unit = unit;
    this.perRecorded = perRecorded;
    this.recordedBounds =
        Arrays.stream(upperBounds).mapToLong(b -> Math.round(b / perRecorded)).toArray();
    this.upperBounds = Arrays.copyOf(upperBounds, upperBounds.length + 1);
    this.upperBounds[upperBounds.length] = Double.POSITIVE_INFINITY;
    this.source = source;
  }

  @Override
  public MetricSnapshot collect() {
    HistogramRecorder.Snapshot figures = source.apply(recordedBounds.clone());
    // Prometheus' model takes each bucket's own count; it writes them out cumulated.
    long[] counts = new long[upperBounds.length];
    long below = 0;
    for (int i = 0; i < recordedBounds.length; i++) {
      long atOrBelow = Math.max(below, figures.atOrBelow().get(i));
      counts[i] = atOrBelow - below;
      below = atOrBelow;
    }
    counts[recordedBounds.length] = Math.max(0, figures.count() - below);
    return HistogramSnapshot.builder()
        .name(name)
        .help(help)
        .unit(unit)
        .dataPoint(
            HistogramDataPointSnapshot.builder()
                .classicHistogramBuckets(ClassicHistogramBuckets.of(upperBounds, counts))
                .sum(figures.sum() * perRecorded)
                .build())
        .build();
  }

  @Override
  public String getPrometheusName() {
    return name;
  }
}
