package org.waterspout.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LatencyWindowTest {

  @Test
  void anEmptyWindowReportsZeros() {
    var snapshot = new LatencyWindow(8).snapshot();

    assertEquals(0, snapshot.count());
    assertEquals(0, snapshot.windowSize());
    assertEquals(0, snapshot.p50Nanos());
    assertEquals(0, snapshot.maxNanos());
  }

  @Test
  void nearestRankPercentilesOfOneToHundred() {
    var window = new LatencyWindow(100);
    for (long i = 100; i >= 1; i--) {
      window.record(i);
    }

    var snapshot = window.snapshot();

    assertEquals(50, snapshot.p50Nanos());
    assertEquals(90, snapshot.p90Nanos());
    assertEquals(99, snapshot.p99Nanos());
    assertEquals(100, snapshot.maxNanos());
    assertEquals(5050, snapshot.sumNanos());
  }

  @Test
  void percentilesFollowTheMostRecentSamplesWhileTotalsCoverAll() {
    var window = new LatencyWindow(4);
    for (int i = 0; i < 10; i++) {
      window.record(1_000);
    }
    for (int i = 0; i < 4; i++) {
      window.record(7);
    }

    var snapshot = window.snapshot();

    assertEquals(7, snapshot.maxNanos());
    assertEquals(4, snapshot.windowSize());
    assertEquals(14, snapshot.count());
    assertEquals(10_028, snapshot.sumNanos());
  }

  @Test
  void aWindowNeedsRoom() {
    assertThrows(IllegalArgumentException.class, () -> new LatencyWindow(0));
  }
}
