package org.waterspout.admin;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.waterspout.delivery.HistogramRecorder;

class PrometheusHistogramTest {

  private final HistogramRecorder recorder =
      new HistogramRecorder(1_000, 3_600_000_000_000L, Duration.ofMinutes(1), 6);
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  @Test
  void cumulativeBucketsSumAndCountInTheTextFormat() {
    registry
        .getPrometheusRegistry()
        .register(
            new PrometheusHistogram(
                "waterspout_test_latency_seconds",
                "A test.",
                Unit.SECONDS,
                1e-9,
                new double[] {0.001, 0.01, 0.1},
                recorder::snapshot));
    recorder.record(500_000);
    recorder.record(5_000_000);
    recorder.record(6_000_000);
    recorder.record(2_000_000_000);

    String text = registry.scrape();

    for (String line :
        new String[] {
          "# TYPE waterspout_test_latency_seconds histogram",
          "waterspout_test_latency_seconds_bucket{le=\"0.001\"} 1",
          "waterspout_test_latency_seconds_bucket{le=\"0.01\"} 3",
          "waterspout_test_latency_seconds_bucket{le=\"0.1\"} 3",
          "waterspout_test_latency_seconds_bucket{le=\"+Inf\"} 4",
          "waterspout_test_latency_seconds_count 4",
          "waterspout_test_latency_seconds_sum 2.0115"
        }) {
      assertTrue(text.contains(line), () -> line + " missing from\n" + text);
    }
  }

  @Test
  void anEmptyHistogramHasZeroBuckets() {
    registry
        .getPrometheusRegistry()
        .register(
            new PrometheusHistogram(
                "waterspout_test_bytes",
                "A test.",
                Unit.BYTES,
                1,
                MetricsServlet.FRAME_BYTES,
                recorder::snapshot));

    String text = registry.scrape();

    assertTrue(text.contains("waterspout_test_bytes_bucket{le=\"128.0\"} 0\n"), text);
    assertTrue(text.contains("waterspout_test_bytes_count 0\n"), text);
  }
}
