package org.waterspout.history;

import java.util.List;

/**
 * A notification just numbered, with its place in each recipient's sequence.
 *
 * @param id the notification's id
 * @param frame its client frame without {@code seq}
 * @param expiresAt epoch milliseconds after which it must not be delivered; 0 for never
 * @param sequence one entry per recipient user
 */
public record Stored(String id, String frame, long expiresAt, List<Sequenced> sequence) {

  public Stored {
    sequence = List.copyOf(sequence);
  }
}
