package org.waterspout.history;

import java.util.List;

/**
 * A run of one stream's stored notifications, in order.
 *
 * @param entries the notifications read, oldest first
 * @param latest the stream's last number, read just before the entries
 */
public record Page(List<Entry> entries, long latest) {

  public Page {
    entries = List.copyOf(entries);
  }

  /**
   * One stored notification.
   *
   * @param seq its number in the stream
   * @param frame its client frame without a number; null when the reader gets it in another stream
   *     (addressed to the user too, or to another of its groups), so this stream passes over it
   * @param expiresAt epoch milliseconds after which it must not be delivered; 0 for never
   */
  public record Entry(long seq, String frame, long expiresAt) {

    /** Whether the reader gets this notification in another of its streams. */
    public boolean elsewhere() {
      return frame == null;
    }
  }
}
