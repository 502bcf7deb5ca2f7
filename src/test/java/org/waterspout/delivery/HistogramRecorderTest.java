package org.waterspout.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HistogramRecorderTest {

  private static final long MS = 1_000_000;
  private static final long HOUR = TimeUnit.HOURS.toNanos(1);

  private final AtomicLong now = new AtomicLong(1_000 * MS);
  private final HistogramRecorder latency =
      new HistogramRecorder(1_000, HOUR, Duration.ofMinutes(1), 6, now::get);

  @Test
  void anEmptyRecorderReportsZeros() {
    var snapshot = latency.snapshot(MS);

    assertEquals(0, snapshot.count());
    assertEquals(0, snapshot.sum());
    assertEquals(0, snapshot.windowCount());
    assertEquals(0, snapshot.p50());
    assertEquals(0, snapshot.max());
    assertEquals(List.of(0L), snapshot.atOrBelow());
  }

  @Test
  void percentilesOfOneToHundredMillisWithinOnePercent() {
    for (long i = 100; i >= 1; i--) {
      latency.record(i * MS);
    }

    var snapshot = latency.snapshot();

    assertEquals(100, snapshot.count());
    assertEquals(5050 * MS, snapshot.sum());
    assertEquals(100, snapshot.windowCount());
    assertClose(50 * MS, snapshot.p50());
    assertClose(90 * MS, snapshot.p90());
    assertClose(99 * MS, snapshot.p99());
    assertClose(100 * MS, snapshot.max());
  }

  @Test
  void countsAtOrBelowEachBoundSinceStart() {
    for (long i = 1; i <= 1000; i++) {
      latency.record(i * MS);
    }

    var snapshot = latency.snapshot(-1, 0, 100 * MS, 500 * MS, 2000 * MS, Long.MAX_VALUE);

    assertEquals(0, snapshot.atOrBelow().get(0));
    assertEquals(0, snapshot.atOrBelow().get(1));
    assertWithin(100, 1, snapshot.atOrBelow().get(2));
    assertWithin(500, 5, snapshot.atOrBelow().get(3));
    assertEquals(1000, snapshot.atOrBelow().get(4));
    assertEquals(1000, snapshot.atOrBelow().get(5));
  }

  @Test
  void theWindowForgetsWhatIsOlderThanItsSpanButTheTotalsKeepIt() {
    latency.record(5 * MS);
    assertEquals(1, latency.snapshot().windowCount());

    now.addAndGet(Duration.ofSeconds(30).toNanos());
    latency.record(7 * MS);
    var both = latency.snapshot();
    assertEquals(2, both.windowCount());
    assertClose(7 * MS, both.max());

    // 65 s after the first read: its slice (0 to 10 s) has left the one-minute window.
    now.addAndGet(Duration.ofSeconds(35).toNanos());
    var second = latency.snapshot();
    assertEquals(1, second.windowCount());
    assertClose(7 * MS, second.p50());

    now.addAndGet(Duration.ofMinutes(5).toNanos());
    var none = latency.snapshot();
    assertEquals(0, none.windowCount());
    assertEquals(0, none.p99());
    assertEquals(2, none.count());
    assertEquals(12 * MS, none.sum());
  }

  @Test
  void valuesOutsideTheRangeAreKeptAtItsEdges() {
    latency.record(-5);
    latency.record(Long.MAX_VALUE);

    var snapshot = latency.snapshot(0);

    assertEquals(2, snapshot.count());
    assertEquals(1, snapshot.atOrBelow().get(0));
    assertClose(HOUR, snapshot.max());
  }

  @Test
  void noRecordIsLostWhileThreadsRecordAndAReaderReads() throws Exception {
    int threads = 4;
    int each = 200_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
    try {
      CountDownLatch start = new CountDownLatch(1);
      AtomicBoolean writing = new AtomicBoolean(true);
      Future<?> reader =
          pool.submit(
              () -> {
                long seen = 0;
                while (writing.get()) {
                  long count = latency.snapshot().count();
                  assertTrue(count >= seen, "the total went back from " + seen + " to " + count);
                  seen = count;
                }
              });
      List<Future<?>> writers =
          java.util.stream.IntStream.range(0, threads)
              .<Future<?>>mapToObj(
                  t ->
                      pool.submit(
                          () -> {
                            start.await();
                            for (int i = 0; i < each; i++) {
                              latency.record((i % 1000 + 1) * MS);
                            }
                            return null;
                          }))
              .toList();
      start.countDown();
      for (Future<?> writer : writers) {
        writer.get(60, TimeUnit.SECONDS);
      }
      writing.set(false);
      reader.get(60, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }

    assertEquals((long) threads * each, latency.snapshot().count());
  }

  @Test
  void aWindowNeedsRoomForItsSlices() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new HistogramRecorder(1, 100, Duration.ofMinutes(1), 0));
    assertThrows(
        IllegalArgumentException.class,
        () -> new HistogramRecorder(1, 100, Duration.ofNanos(3), 6));
  }

  private static void assertClose(long expected, long actual) {
    assertWithin(expected, Math.max(1_000, expected / 100), actual);
  }

  private static void assertWithin(long expected, long tolerance, long actual) {
    assertTrue(
        Math.abs(actual - expected) <= tolerance,
        () -> actual + " is not within " + tolerance + " of " + expected);
  }
}
