package org.waterspout.history;

import java.util.List;
import java.util.Set;

/**
 * A notification just numbered, with its place in each stream it was addressed to.
 *
 * @param id the notification's id
 * @param frame its client frame without a number
 * @param expiresAt epoch milliseconds after which it must not be delivered; 0 for never
 * @param users the users it was addressed to
 * @param places one per addressed user and group: its number in that stream
 * @param receipt whether the order system wants a receipt for it
 */
public record Numbered(
    String id,
    String frame,
    long expiresAt,
    Set<String> users,
    List<Place> places,
    boolean receipt) {

  public Numbered {
    users = Set.copyOf(users);
    places = List.copyOf(places);
  }
}
