package org.waterspout.timing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TimerWheelTest {

  private static final long MS = 1_000_000;

  private final AtomicLong now = new AtomicLong(123 * MS);
  private final TimerWheel wheel = new TimerWheel(Duration.ofMillis(100), 8, now::get);
  private final List<String> ran = new ArrayList<>();

  private void at(long millis) {
    now.set(123 * MS + millis * MS);
    wheel.advance();
  }

  @Test
  void runsATaskAtTheFirstTickAtOrAfterItsDelayNeverBefore() {
    wheel.after(Duration.ofMillis(250), () -> ran.add("a"));

    at(200);
    assertEquals(List.of(), ran);
    at(299);
    assertEquals(List.of(), ran);
    at(300);
    assertEquals(List.of("a"), ran);
    at(1000);
    assertEquals(List.of("a"), ran);
    assertEquals(0, wheel.size());
  }

  @Test
  void aTaskSeveralRoundsAwayWaitsForItsRound() {
    // 8 buckets of 100 ms: one round is 800 ms.
    wheel.after(Duration.ofMillis(2000), () -> ran.add("late"));
    wheel.after(Duration.ofMillis(400), () -> ran.add("soon"));

    for (long t = 0; t < 2000; t += 100) {
      at(t);
    }
    assertEquals(List.of("soon"), ran);
    at(2000);
    assertEquals(List.of("soon", "late"), ran);
  }

  @Test
  void aCancelledTaskNeverRunsAndLeavesTheWheelAtOnce() {
    Timeout timeout = wheel.after(Duration.ofHours(2), () -> ran.add("x"));
    wheel.after(Duration.ofHours(2), () -> ran.add("y"));
    assertEquals(2, wheel.size());

    assertTrue(timeout.cancel());
    assertFalse(timeout.cancel());
    assertEquals(1, wheel.size());
    at(Duration.ofHours(3).toMillis());
    assertEquals(List.of("y"), ran);
  }

  @Test
  void afterAStallLongerThanARoundEverythingDueRuns() {
    wheel.after(Duration.ofMillis(100), () -> ran.add("a"));
    wheel.after(Duration.ofMillis(700), () -> ran.add("b"));
    wheel.after(Duration.ofMillis(5000), () -> ran.add("c"));

    at(3000);
    assertEquals(2, ran.size());
    assertTrue(ran.containsAll(List.of("a", "b")));
    at(5000);
    assertEquals(3, ran.size());
  }

  @Test
  void aTaskAddedForATickAlreadyWalkedRunsAtTheNextOne() {
    at(500);
    wheel.after(Duration.ZERO, () -> ran.add("now"));
    Timeout running = wheel.after(Duration.ofMillis(-5), () -> ran.add("past"));

    at(600);
    assertEquals(2, ran.size());
    assertTrue(ran.containsAll(List.of("now", "past")));
    assertFalse(running.cancel());
  }

  @Test
  void aTaskMayScheduleAnother() {
    wheel.after(
        Duration.ofMillis(100),
        () -> {
          ran.add("first");
          wheel.after(Duration.ofMillis(100), () -> ran.add("second"));
        });

    at(100);
    at(200);
    assertEquals(List.of("first", "second"), ran);
  }
}
