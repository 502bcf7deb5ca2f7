package org.waterspout.history;

/**
 * CDI event: a notification was stored in the intake transaction; observed after it commits, it is
 * pushed to the sessions of each user in its sequence.
 *
 * @param stored what was stored, with each recipient's sequence number
 * @param acceptedAt {@link System#nanoTime()} when its message was taken in, for latency figures
 */
public record NotificationStored(Stored stored, long acceptedAt) {}
