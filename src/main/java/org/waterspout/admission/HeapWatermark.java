package org.waterspout.admission;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * How full the heap is, as the last garbage collection left it: the old generation's usage after
 * its last collection (G1 Old Gen, PS Old Gen, Tenured Gen, or whichever heap pool that reports
 * collection usage is largest). What is used between collections is mostly garbage and says
 * nothing; or its use now when that is lower (see {@link #lower}). Without such a pool (an unusual
 * collector), the heap's current usage. Read at most once per {@value #CACHE_MILLIS} ms: every
 * handshake asks.
 */
final class HeapWatermark {

  static final long CACHE_MILLIS = 100;

  private final Supplier<MemoryUsage> usage;
  private final LongSupplier nanoTime;
  private long readAt;
  private int percent;
  private boolean read;

  HeapWatermark(Supplier<MemoryUsage> usage, LongSupplier nanoTime) {
    this.usage = usage;
    this.nanoTime = nanoTime;
  }

  /** The heap of this JVM. */
  static HeapWatermark ofThisJvm(LongSupplier nanoTime) {
    Optional<MemoryPoolMXBean> old =
        ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP && p.isCollectionUsageThresholdSupported())
            .filter(p -> p.getCollectionUsage() != null)
            .max(
                Comparator.comparing((MemoryPoolMXBean p) -> isOld(p.getName()))
                    .thenComparingLong(p -> p.getUsage().getMax()));
    Supplier<MemoryUsage> usage =
        old.<Supplier<MemoryUsage>>map(
                pool -> () -> lower(pool.getCollectionUsage(), pool.getUsage()))
            .orElse(() -> ManagementFactory.getMemoryMXBean().getHeapMemoryUsage());
    return new HeapWatermark(usage, nanoTime);
  }

  /** Percent of the pool's maximum (or of the heap's, when the pool has none) in use. */
  synchronized int percentUsed() {
    long now = nanoTime.getAsLong();
    if (!read || now - readAt > CACHE_MILLIS * 1_000_000) {
      percent = percent(usage.get(), Runtime.getRuntime().maxMemory());
      readAt = now;
      read = true;
    }
    return percent;
  }

  /**
   * The smaller use of the two: a collector that updates the after-collection figure only on full
   * collections (G1 may) would otherwise keep a high reading, and refuse sessions, long after mixed
   * collections emptied the old generation. The pool's current use never falls below what is live.
   */
  static MemoryUsage lower(MemoryUsage afterCollection, MemoryUsage now) {
    return now.getUsed() < afterCollection.getUsed() ? now : afterCollection;
  }

  static int percent(MemoryUsage usage, long heapMax) {
    long max = usage.getMax() > 0 ? usage.getMax() : heapMax;
    return max <= 0 ? 0 : (int) Math.min(100, usage.getUsed() * 100 / max);
  }

  private static boolean isOld(String pool) {
    return pool.contains("Old") || pool.contains("Tenured");
  }
}
