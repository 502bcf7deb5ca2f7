package org.waterspout.timing;

import java.time.Duration;

/** Runs a task once, later. */
public interface Timer {

  /**
   * Runs {@code task} once after {@code delay}, on the timer's thread: the task must be short and
   * must not block (hand anything longer to an executor).
   */
  Timeout after(Duration delay, Runnable task);
}
