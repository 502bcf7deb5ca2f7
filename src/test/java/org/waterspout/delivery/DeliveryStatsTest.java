package org.waterspout.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DeliveryStatsTest {

  private final DeliveryStats stats = new DeliveryStats();

  @Test
  void liveNotificationsAreTimedAndMeasured() {
    long accepted = System.nanoTime() - 3_000_000;
    stats.sent(Outgoing.numbered("{\"type\":\"notification\"}", "user:pro", accepted, 1, 0));

    var latency = stats.latency(1_000_000, 60_000_000_000L);
    assertEquals(1, latency.count());
    assertTrue(latency.p50() >= 3_000_000 * 0.99, () -> "p50 " + latency.p50());
    assertEquals(0, latency.atOrBelow().get(0));
    assertEquals(1, latency.atOrBelow().get(1));
    var frames = stats.frameBytes();
    assertEquals(1, frames.count());
    assertEquals(23, frames.sum());
    assertEquals(1, stats.counts().delivered());
  }

  @Test
  void replayedNotificationsAreMeasuredNotTimed() {
    stats.sent(Outgoing.replayed("{\"title\":\"é\"}", "user:pro", 7, 0));

    assertEquals(0, stats.latency().count());
    assertEquals(14, stats.frameBytes().sum(), "é is two bytes in UTF-8");
    assertEquals(1, stats.counts().delivered());
  }

  @Test
  void oneSharedFrameIsMeasuredAsOftenAsItIsSent() {
    String shared = "{\"type\":\"notification\",\"title\":\"to the group\"}";
    String other = "{\"type\":\"notification\",\"title\":\"someone else\"}";
    for (int i = 0; i < 3; i++) {
      stats.sent(Outgoing.notification(shared, System.nanoTime()));
    }
    stats.sent(Outgoing.notification(other, System.nanoTime()));

    var frames = stats.frameBytes();
    assertEquals(4, frames.count());
    assertEquals(3L * shared.length() + other.length(), frames.sum());
  }

  @Test
  void controlFramesAndDropsAreNeitherTimedNorMeasured() {
    stats.sent(Outgoing.control("{\"type\":\"welcome\"}"));
    stats.dropped(Outgoing.notification("{}", System.nanoTime()));
    stats.dropped(Outgoing.control("{}"));

    assertEquals(0, stats.latency().count());
    assertEquals(0, stats.frameBytes().count());
    assertEquals(0, stats.counts().delivered());
    assertEquals(1, stats.counts().dropped());
  }
}
