package org.waterspout.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.MemoryUsage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class HeapWatermarkTest {

  @Test
  void percentOfThePoolsMaximumOrOfTheHeapsWhenThePoolHasNone() {
    assertEquals(50, HeapWatermark.percent(new MemoryUsage(0, 50, 100, 100), 1000));
    assertEquals(5, HeapWatermark.percent(new MemoryUsage(0, 50, 100, -1), 1000));
  }

  @Test
  void theLowerOfTheUseAfterCollectionAndTheUseNow() {
    MemoryUsage afterFull = new MemoryUsage(0, 95, 100, 100);
    MemoryUsage emptiedSince = new MemoryUsage(0, 30, 100, 100);

    assertEquals(emptiedSince, HeapWatermark.lower(afterFull, emptiedSince));
    assertEquals(emptiedSince, HeapWatermark.lower(emptiedSince, afterFull));
  }

  @Test
  void readsAtMostOncePerCachePeriod() {
    AtomicLong now = new AtomicLong();
    AtomicReference<MemoryUsage> usage = new AtomicReference<>(new MemoryUsage(0, 10, 100, 100));
    HeapWatermark watermark = new HeapWatermark(usage::get, now::get);
    assertEquals(10, watermark.percentUsed());

    usage.set(new MemoryUsage(0, 95, 100, 100));
    assertEquals(10, watermark.percentUsed());
    now.addAndGet(HeapWatermark.CACHE_MILLIS * 1_000_000 + 1);
    assertEquals(95, watermark.percentUsed());
  }

  @Test
  void readsThisJvm() {
    int percent = HeapWatermark.ofThisJvm(System::nanoTime).percentUsed();
    assertTrue(percent >= 0 && percent <= 100, "percent " + percent);
  }
}
