package org.waterspout.admin;

import java.util.function.ToLongFunction;
import org.waterspout.delivery.LatencyWindow;

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
    return latency(LatencyWindow.Snapshot::p50Nanos);
  }

  @Override
  public double getDeliveryLatencyP90Millis() {
    return latency(LatencyWindow.Snapshot::p90Nanos);
  }

  @Override
  public double getDeliveryLatencyP99Millis() {
    return latency(LatencyWindow.Snapshot::p99Nanos);
  }

  @Override
  public double getDeliveryLatencyMaxMillis() {
    return latency(LatencyWindow.Snapshot::maxNanos);
  }

  private double latency(ToLongFunction<LatencyWindow.Snapshot> which) {
    return which.applyAsLong(administration.latency()) / 1e6;
  }
}
