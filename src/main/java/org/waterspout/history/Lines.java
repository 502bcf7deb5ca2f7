package org.waterspout.history;

import java.util.Collection;
import java.util.List;

/**
 * How the history keeps a list of names in one column: one per line. Names (user ids, group names)
 * never hold a line break: the message contract refuses white space and control characters in them.
 */
final class Lines {

  private Lines() {}

  static String join(Collection<String> names) {
    return String.join("\n", names);
  }

  static List<String> split(String joined) {
    return joined.isEmpty() ? List.of() : List.of(joined.split("\n"));
  }
}
