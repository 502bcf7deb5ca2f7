package org.waterspout.history;

import java.util.Set;

/**
 * A user's acknowledgement of one stream up to a number, waiting to be stored.
 *
 * @param user who acknowledged
 * @param groups the user's groups (from its token), whose receipt targets its acknowledgement
 *     fulfils
 * @param stream the stream acknowledged
 * @param after what the acknowledging session knew the user had acknowledged of the stream before
 *     (at its sign-in, or by its own earlier acks): all of it stored, or waiting to be, so the user
 *     has seen everything from there up to {@code seq}, and the receipts this one fulfils are found
 *     without reading the stored row
 * @param seq up to which number
 * @param initial true when it only records where a user starts following a group stream: stored
 *     when the user has no acknowledgement of that stream yet, and never moves one
 */
public record Ack(
    String user, Set<String> groups, String stream, long after, long seq, boolean initial) {

  public Ack {
    groups = Set.copyOf(groups);
  }

  /** Records where a user starts following a group stream: at {@code head}. */
  public static Ack initial(String user, Set<String> groups, String stream, long head) {
    return new Ack(user, groups, stream, head, head, true);
  }

  /**
   * The later of two acknowledgements of one user's stream, from the earlier one's {@code after}
   * when their ranges meet; a real one wins over an initial one, and of two initial ones the
   * earlier start wins (as a stored start is never moved). Two ranges with a gap between them (two
   * devices that started following at different points) give the later one alone: the gap, which
   * neither session was given, must not count as seen (the earlier range then fulfils no receipt,
   * which is the safe side).
   */
  Ack merge(Ack other) {
    if (initial != other.initial) {
      return initial ? other : this;
    }
    if (initial) {
      // Two sign-ins before the first start was stored: the user follows it from the earlier.
      return other.seq < seq ? other : this;
    }
    Ack later = other.seq > seq ? other : this;
    Ack earlier = later == this ? other : this;
    if (later.after > earlier.seq) {
      return later;
    }
    long from = Math.min(after, other.after);
    return from == later.after
        ? later
        : new Ack(user, groups, stream, from, later.seq, later.initial);
  }
}
