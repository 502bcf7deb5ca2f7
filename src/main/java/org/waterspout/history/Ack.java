package org.waterspout.history;

import java.util.Set;

/**
 * A user's acknowledgement of one stream up to a number, waiting to be stored.
 *
 * @param user who acknowledged
 * @param groups the user's groups (from its token), whose receipt targets its acknowledgement
 *     fulfils
 * @param stream the stream acknowledged
 * @param seq up to which number
 * @param initial true when it only records where a user starts following a group stream: stored
 *     when the user has no acknowledgement of that stream yet, and never moves one
 */
public record Ack(String user, Set<String> groups, String stream, long seq, boolean initial) {

  public Ack {
    groups = Set.copyOf(groups);
  }

  /**
   * The later of two acknowledgements of one user's stream; a real one wins over an initial one.
   */
  Ack merge(Ack other) {
    if (initial != other.initial) {
      return initial ? other : this;
    }
    return other.seq > seq ? other : this;
  }
}
