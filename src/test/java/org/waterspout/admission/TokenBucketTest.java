package org.waterspout.admission;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  @Test
  void takesABurstOfOneSecondsWorthThenRefusesUntilItRefills() {
    TokenBucket bucket = new TokenBucket(3, now::get);

    assertTrue(bucket.tryTake());
    assertTrue(bucket.tryTake());
    assertTrue(bucket.tryTake());
    assertFalse(bucket.tryTake());

    now.addAndGet(334_000_000L); // a third of a second: one token back
    assertTrue(bucket.tryTake());
    assertFalse(bucket.tryTake());
  }

  @Test
  void neverHoldsMoreThanOneSecondsWorth() {
    TokenBucket bucket = new TokenBucket(2, now::get);
    now.addAndGet(60_000_000_000L);

    assertTrue(bucket.tryTake());
    assertTrue(bucket.tryTake());
    assertFalse(bucket.tryTake());
  }
}
