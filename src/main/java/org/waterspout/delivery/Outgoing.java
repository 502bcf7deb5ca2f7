package org.waterspout.delivery;

import java.util.Objects;

/**
 * A frame on its way to one client. Notification frames carry the moment their message was
 * accepted, so delivery can count them and measure how long they took to reach the socket; control
 * frames (welcome, pong, error) are neither counted nor timed.
 *
 * @param text the JSON frame
 * @param acceptedAt {@link System#nanoTime()} at intake, or {@link #CONTROL}
 */
public record Outgoing(String text, long acceptedAt) {

  /** The {@code acceptedAt} of a control frame. */
  public static final long CONTROL = Long.MIN_VALUE;

  public Outgoing {
    Objects.requireNonNull(text, "text");
  }

  public static Outgoing control(String text) {
    return new Outgoing(text, CONTROL);
  }

  public static Outgoing notification(String text, long acceptedAt) {
    return new Outgoing(text, acceptedAt);
  }

  public boolean isNotification() {
    return acceptedAt != CONTROL;
  }
}
