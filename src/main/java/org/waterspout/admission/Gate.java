package org.waterspout.admission;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * The admission decision and its counts. A session counts against the limit from the moment its
 * handshake is admitted ({@link Handshakes}) until its socket closes; refusals are counted by
 * reason.
 */
final class Gate {

  private final Handshakes handshakes;
  private final TokenBucket rate;
  private final IntSupplier heapPercent;
  private final int heapWatermarkPercent;
  private final AtomicInteger open = new AtomicInteger();
  private final Map<Refusal, LongAdder> refused = new EnumMap<>(Refusal.class);
  private volatile int maxSessions;

  Gate(
      int maxSessions,
      Handshakes handshakes,
      TokenBucket rate,
      IntSupplier heapPercent,
      int heapWatermarkPercent) {
    this.maxSessions = maxSessions;
    this.handshakes = handshakes;
    this.rate = rate;
    this.heapPercent = heapPercent;
    this.heapWatermarkPercent = heapWatermarkPercent;
    for (Refusal reason : Refusal.values()) {
      refused.put(reason, new LongAdder());
    }
  }

  /**
   * Admits a handshake (it counts from now on), or says why not. One at a time, so concurrent
   * handshakes cannot together overshoot the limit; the rate's token is taken last, only by a
   * handshake the other checks let through.
   */
  synchronized Optional<Refusal> admit() {
    Optional<Refusal> refusal;
    if (sessions() >= maxSessions) {
      refusal = Optional.of(Refusal.CAPACITY);
    } else if (heapFull()) {
      refusal = Optional.of(Refusal.HEAP);
    } else if (!rate.tryTake()) {
      refusal = Optional.of(Refusal.RATE);
    } else {
      handshakes.admitted();
      return Optional.empty();
    }
    refused.get(refusal.get()).increment();
    return refusal;
  }

  /** An admitted handshake did not become a socket. */
  void failed() {
    handshakes.settled();
  }

  /**
   * A socket opened: its handshake's ticket becomes an open session (counted first, then freed).
   */
  void opened() {
    open.incrementAndGet();
    handshakes.settled();
  }

  void closed() {
    open.decrementAndGet();
  }

  /** What counts against the limit: open sockets and handshakes under way. */
  int sessions() {
    return open.get() + handshakes.inFlight();
  }

  int open() {
    return open.get();
  }

  int maxSessions() {
    return maxSessions;
  }

  void maxSessions(int limit) {
    maxSessions = limit;
  }

  /** The reason new sessions are refused whatever the rate: the limit or the heap; or none. */
  Optional<Refusal> capacityReason() {
    if (sessions() >= maxSessions) {
      return Optional.of(Refusal.CAPACITY);
    }
    return heapFull() ? Optional.of(Refusal.HEAP) : Optional.empty();
  }

  int heapPercent() {
    return heapPercent.getAsInt();
  }

  int heapWatermarkPercent() {
    return heapWatermarkPercent;
  }

  long refused(Refusal reason) {
    return refused.get(reason).sum();
  }

  private boolean heapFull() {
    return heapPercent.getAsInt() >= heapWatermarkPercent;
  }
}
