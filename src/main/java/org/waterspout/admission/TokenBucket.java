package org.waterspout.admission;

import java.util.function.LongSupplier;

/**
 * At most {@code perSecond} handshakes a second, with bursts of up to one second's worth: the
 * bucket holds that many tokens, refills continuously, and each handshake takes one.
 */
final class TokenBucket {

  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final double capacity;
  private final double perNano;
  private final LongSupplier nanoTime;
  private double tokens;
  private long refilledAt;

  TokenBucket(int perSecond, LongSupplier nanoTime) {
    this.capacity = perSecond;
    this.perNano = (double) perSecond / NANOS_PER_SECOND;
    this.nanoTime = nanoTime;
    this.tokens = capacity;
    this.refilledAt = nanoTime.getAsLong();
  }

  /** Takes a token if one is there. */
  synchronized boolean tryTake() {
    long now = nanoTime.getAsLong();
    tokens = Math.min(capacity, tokens + (now - refilledAt) * perNano);
    refilledAt = now;
    if (tokens < 1) {
      return false;
    }
    tokens -= 1;
    return true;
  }
}
