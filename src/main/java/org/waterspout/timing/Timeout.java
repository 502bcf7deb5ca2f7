package org.waterspout.timing;

/** A task waiting in a {@link TimerWheel}. */
public interface Timeout {

  /** Keeps the task from running; false when it ran, or was cancelled, already. */
  boolean cancel();
}
