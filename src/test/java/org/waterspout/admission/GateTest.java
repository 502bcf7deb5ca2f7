package org.waterspout.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class GateTest {

  private final AtomicLong now = new AtomicLong();
  private final AtomicInteger heap = new AtomicInteger(50);

  private Gate gate(int maxSessions, int perSecond) {
    return new Gate(
        maxSessions,
        new Handshakes(1_000_000, now::get),
        new TokenBucket(perSecond, now::get),
        heap::get,
        90);
  }

  @Test
  void handshakesUnderWayCountAgainstTheLimitUntilTheirSocketsClose() {
    Gate gate = gate(2, 100);

    assertEquals(Optional.empty(), gate.admit());
    assertEquals(Optional.empty(), gate.admit());
    assertEquals(Optional.of(Refusal.CAPACITY), gate.admit());
    assertEquals(Optional.of(Refusal.CAPACITY), gate.capacityReason());

    gate.opened();
    gate.opened();
    assertEquals(2, gate.sessions());
    assertEquals(Optional.of(Refusal.CAPACITY), gate.admit());

    gate.closed();
    assertEquals(Optional.empty(), gate.capacityReason());
    assertEquals(Optional.empty(), gate.admit());
    assertEquals(2, gate.refused(Refusal.CAPACITY));
  }

  @Test
  void aFailedHandshakeGivesItsSlotBack() {
    Gate gate = gate(1, 100);
    gate.admit();
    gate.failed();

    assertEquals(0, gate.sessions());
    assertEquals(Optional.empty(), gate.admit());
  }

  @Test
  void aHandshakeThatNeverOpensStopsCounting() {
    Gate gate = gate(1, 100);
    gate.admit();
    assertEquals(Optional.of(Refusal.CAPACITY), gate.admit());

    now.addAndGet(1_000_001);
    assertEquals(Optional.empty(), gate.admit());
  }

  @Test
  void refusesAboveTheRateWithoutSpendingTokensOnRefusedHandshakes() {
    Gate gate = gate(10, 2);
    assertEquals(Optional.empty(), gate.admit());
    assertEquals(Optional.empty(), gate.admit());
    assertEquals(Optional.of(Refusal.RATE), gate.admit());
    assertEquals(1, gate.refused(Refusal.RATE));
    // Rate refusals are not "at capacity": another instance would refuse them just the same.
    assertEquals(Optional.empty(), gate.capacityReason());
  }

  @Test
  void refusesAboveTheHeapWatermark() {
    Gate gate = gate(10, 100);
    heap.set(90);

    assertEquals(Optional.of(Refusal.HEAP), gate.admit());
    assertEquals(Optional.of(Refusal.HEAP), gate.capacityReason());
    heap.set(89);
    assertEquals(Optional.empty(), gate.admit());
  }

  @Test
  void theLimitChangesAtRunTime() {
    Gate gate = gate(1, 100);
    gate.admit();
    gate.opened();
    gate.maxSessions(2);

    assertEquals(Optional.empty(), gate.admit());
    gate.maxSessions(1);
    assertTrue(gate.capacityReason().isPresent());
  }

  @Test
  void retryAfterIsAFewJitteredSeconds() {
    assertEquals(5, Refusal.CAPACITY.retryAfterSeconds(0));
    assertEquals(15, Refusal.CAPACITY.retryAfterSeconds(0.999));
    assertEquals(1, Refusal.RATE.retryAfterSeconds(0));
    assertEquals(3, Refusal.RATE.retryAfterSeconds(0.999));
  }
}
