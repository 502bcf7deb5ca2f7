package org.waterspout.history;

/**
 * CDI event: a stored notification was numbered in its recipients' sequences and that committed; it
 * is pushed to the sessions of each user in its sequence. Fired outside any transaction.
 *
 * @param stored what was stored, with each recipient's sequence number
 * @param acceptedAt {@link System#nanoTime()} when its message was taken in, for latency figures
 */
public record NotificationStored(Stored stored, long acceptedAt) {}
