package org.waterspout.history;

import java.util.List;

/**
 * A run of one user's stored notifications, in sequence order.
 *
 * @param entries the notifications read, oldest first
 * @param latest the user's last sequence number, read just before the entries
 */
public record Page(List<Entry> entries, long latest) {

  public Page {
    entries = List.copyOf(entries);
  }

  /**
   * One stored notification.
   *
   * @param seq its sequence number for the user
   * @param frame its client frame without {@code seq}
   * @param expiresAt epoch milliseconds after which it must not be delivered; 0 for never
   */
  public record Entry(long seq, String frame, long expiresAt) {

    /** Whether it must no longer be delivered at {@code now} (epoch milliseconds). */
    public boolean expiredAt(long now) {
      return expiresAt != 0 && expiresAt <= now;
    }
  }
}
