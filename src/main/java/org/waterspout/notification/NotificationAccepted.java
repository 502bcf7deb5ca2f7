package org.waterspout.notification;

/**
 * CDI event: a notification passed validation on intake and should reach its recipients.
 *
 * @param notification the accepted notification
 * @param frame its client frame ({@code "op":"notification"}), encoded once for all sessions
 * @param acceptedAt {@link System#nanoTime()} when its message was taken in, for latency figures
 */
public record NotificationAccepted(Notification notification, String frame, long acceptedAt) {}
