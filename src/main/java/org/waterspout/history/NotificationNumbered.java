package org.waterspout.history;

/**
 * CDI event: a stored notification was numbered in its streams and that committed; it is pushed to
 * the sessions that follow those streams. Fired outside any transaction.
 *
 * @param numbered what was numbered, with its place in each stream
 * @param acceptedAt {@link System#nanoTime()} when its message was taken in, for latency figures
 */
public record NotificationNumbered(Numbered numbered, long acceptedAt) {}
