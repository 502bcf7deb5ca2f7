package org.waterspout.admin;

import java.util.function.ToLongFunction;
import org.waterspout.delivery.HistogramRecorder;

/** The {@code org.waterspout:type=Notifications} management bean. */
final class NotificationsManagement implements NotificationsMXBean {

  private final Administration administration;

  NotificationsManagement(Administration administration) {
    this.administration = administration;
  }

  @Override
  public long getReceived() {
    return administration.counts().received();
  }

  @Override
  public long getAccepted() {
    return administration.counts().accepted();
  }

  @Override
  public long getRejected() {
    return administration.counts().rejected();
  }

  @Override
  public long getDelivered() {
    return administration.counts().delivered();
  }

  @Override
  public long getDropped() {
    return administration.counts().dropped();
  }

  @Override
  public double getDeliveryLatencyP50Millis() {
    return latency(HistogramRecorder.Snapshot::p50);
  }

  @Override
  public double getDeliveryLatencyP90Millis() {
    return latency(HistogramRecorder.Snapshot::p90);
  }

  @Override
  public double getDeliveryLatencyP99Millis() {
    return latency(HistogramRecorder.Snapshot::p99);
  }

  @Override
  public double getDeliveryLatencyMaxMillis() {
    return latency(HistogramRecorder.Snapshot::max);
  }

  private double latency(ToLongFunction<HistogramRecorder.Snapshot> which) {
    return which.applyAsLong(administration.latency()) / 1e6;
  }
}
