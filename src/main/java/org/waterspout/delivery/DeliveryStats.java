package org.waterspout.delivery;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;
import org.waterspout.notification.MessageRejected;

/**
 * This instance's counters since start: messages taken from the input queue (committed intakes
 * only, so a rolled-back and redelivered message counts once), and notification frames delivered to
 * or dropped for sessions, with how long delivery took from intake to the socket.
 */
@ApplicationScoped
public class DeliveryStats implements Outbox.Monitor {

  /** Latency percentiles follow the most recent deliveries. */
  public static final int LATENCY_WINDOW = 4096;

  private final LongAdder accepted = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final LongAdder delivered = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final LatencyWindow latency = new LatencyWindow(LATENCY_WINDOW);
  private final Instant since = Instant.now();

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
    }
  }

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

  /** Latency percentiles of the recent deliveries: sorts the window, so read it once per view. */
  public LatencyWindow.Snapshot latency() {
    return latency.snapshot();
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
