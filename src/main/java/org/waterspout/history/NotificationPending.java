package org.waterspout.history;

/**
 * CDI event: a notification was stored in the intake transaction; observed after it commits, it
 * wakes the {@link Sequencer}, which numbers it and then fires {@link NotificationNumbered}.
 *
 * @param id the notification's id
 * @param acceptedAt {@link System#nanoTime()} when its message was taken in, for latency figures
 */
public record NotificationPending(String id, long acceptedAt) {}
