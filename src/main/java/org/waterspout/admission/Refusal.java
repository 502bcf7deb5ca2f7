package org.waterspout.admission;

/** Why a handshake was refused; each reason has its own counter. */
public enum Refusal {
  /** The session limit is reached (open sockets plus handshakes under way). */
  CAPACITY("capacity", 5, 10),
  /** More handshakes per second than the configured rate. */
  RATE("rate", 1, 2),
  /** The heap, as the last collection left it, is above the watermark. */
  HEAP("heap", 5, 10),
  /** The application is stopping: the client should connect again, to an instance that stays. */
  STOPPING("stopping", 1, 2);

  private final String label;
  private final int retryAfterSeconds;
  private final int jitterSeconds;

  Refusal(String label, int retryAfterSeconds, int jitterSeconds) {
    this.label = label;
    this.retryAfterSeconds = retryAfterSeconds;
    this.jitterSeconds = jitterSeconds;
  }

  /** The reason's name in metrics and on the admin page. */
  public String label() {
    return label;
  }

  /**
   * Seconds for {@code Retry-After}: a few, spread by {@code random} (0 to 1) so that the clients
   * refused together do not all come back in the same second.
   */
  int retryAfterSeconds(double random) {
    return retryAfterSeconds + (int) Math.floor(random * (jitterSeconds + 1));
  }
}
