package org.waterspout.history;

/**
 * CDI event: a stored notification was numbered in its streams and that committed; it is pushed to
 * the sessions that follow those streams. Fired outside any transaction.
 *
 * <p>Fired by the {@link Sequencer} of the instance that numbered it, and, with the fan-out on, by
 * every other instance when it comes over the fan-out topic ({@code fromAnotherInstance}).
 *
 * @param numbered what was numbered, with its place in each stream
 * @param acceptedAt {@link System#nanoTime()} when its message was taken in, for latency figures
 *     (on another instance: when it came over the topic)
 * @param fromAnotherInstance whether another instance numbered it
 */
public record NotificationNumbered(
    Numbered numbered, long acceptedAt, boolean fromAnotherInstance) {

  /** Numbered by this instance. */
  public NotificationNumbered(Numbered numbered, long acceptedAt) {
    this(numbered, acceptedAt, false);
  }
}
