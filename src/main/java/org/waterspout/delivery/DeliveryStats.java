package org.waterspout.delivery;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.waterspout.notification.MessageRejected;
import org.waterspout.notification.Utf8;

/**
 * This instance's counters since start: messages taken from the input queue (committed intakes
 * only, so a rolled-back and redelivered message counts once), and notification frames delivered to
 * or dropped for sessions, with how long delivery took from intake to the socket and how large the
 * frames were. Recording takes no lock: it runs on every send.
 */
@ApplicationScoped
public class DeliveryStats implements Outbox.Monitor {

  /** Percentiles follow the deliveries of this last stretch of time. */
  public static final Duration RECENT = Duration.ofMinutes(1);

  /** The window moves on every {@link #RECENT} / 6, ten seconds. */
  private static final int SLICES = 6;

  /** Latencies from 1 µs to an hour are told apart; a longer one counts as an hour. */
  private static final long LATENCY_MAX_NANOS = TimeUnit.HOURS.toNanos(1);

  /** Frames up to 64 MiB are told apart, far above any message limit. */
  private static final int FRAME_MAX_BYTES = 64 << 20;

  private final LongAdder accepted = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final LongAdder delivered = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final HistogramRecorder latency =
      new HistogramRecorder(1_000, LATENCY_MAX_NANOS, RECENT, SLICES);
  private final HistogramRecorder frameBytes =
      new HistogramRecorder(1, FRAME_MAX_BYTES, RECENT, SLICES);
  private final Instant since = Instant.now();

  /** The frame measured last: a broadcast's shared frame is measured once, not per session. */
  private volatile Measured lastFrame = new Measured("", 0);

  /** Counted by the router before it delivers, so the count never trails the frames. */
  void accepted() {
    accepted.increment();
  }

  void rejected(@Observes(during = TransactionPhase.AFTER_SUCCESS) MessageRejected event) {
    rejected.increment();
  }

  @Override
  public void sent(Outgoing frame) {
    if (frame.isNotification()) {
      delivered.increment();
      if (frame.isTimed()) {
        latency.record(System.nanoTime() - frame.acceptedAt());
      }
      frameBytes.record(bytes(frame.text()));
    }
  }

  private long bytes(String text) {
    Measured last = lastFrame;
    if (last.text().equals(text)) {
      return last.bytes();
    }
    long bytes = Utf8.length(text, FRAME_MAX_BYTES);
    lastFrame = new Measured(text, bytes);
    return bytes;
  }

  private record Measured(String text, long bytes) {}

  @Override
  public void dropped(Outgoing frame) {
    if (frame.isNotification()) {
      dropped.increment();
    }
  }

  /** The counters: cheap, for every read of a management attribute. */
  public Counts counts() {
    return new Counts(since, accepted.sum(), rejected.sum(), delivered.sum(), dropped.sum());
  }

  /**
   * Delivery latency of live notification frames, intake to socket, in nanoseconds: percentiles of
   * the {@link #RECENT} deliveries, and per upper bound the deliveries since start within it.
   */
  public HistogramRecorder.Snapshot latency(long... upperBoundsNanos) {
    return latency.snapshot(upperBoundsNanos);
  }

  /** Sizes in UTF-8 bytes of the notification frames delivered, live or replayed. */
  public HistogramRecorder.Snapshot frameBytes(long... upperBoundsBytes) {
    return frameBytes.snapshot(upperBoundsBytes);
  }

  /**
   * @param since when counting began (the application's start)
   * @param accepted messages accepted as notifications
   * @param rejected messages moved to the rejected queue
   * @param delivered notification frames written to a session's socket
   * @param dropped notification frames lost with a slow or broken session
   */
  public record Counts(Instant since, long accepted, long rejected, long delivered, long dropped) {

    /** Messages taken from the input queue: accepted plus rejected. */
    public long received() {
      return accepted + rejected;
    }
  }
}
