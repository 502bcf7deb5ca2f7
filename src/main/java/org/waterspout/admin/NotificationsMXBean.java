package org.waterspout.admin;

/** {@code org.waterspout:type=Notifications}: this instance's intake and delivery since start. */
public interface NotificationsMXBean {

  @Description("Messages taken from the input queue (accepted plus rejected)")
  long getReceived();

  @Description("Messages accepted as notifications")
  long getAccepted();

  @Description("Messages that broke the contract, moved to the rejected queue")
  long getRejected();

  @Description("Notification frames written to a session's socket")
  long getDelivered();

  @Description("Notification frames lost with a slow or broken session")
  long getDropped();

  @Description("Median delivery latency, intake to socket, of the last minute's deliveries (ms)")
  double getDeliveryLatencyP50Millis();

  @Description("90th percentile delivery latency of the last minute's deliveries (ms)")
  double getDeliveryLatencyP90Millis();

  @Description("99th percentile delivery latency of the last minute's deliveries (ms)")
  double getDeliveryLatencyP99Millis();

  @Description("Largest delivery latency of the last minute's deliveries (ms)")
  double getDeliveryLatencyMaxMillis();
}
