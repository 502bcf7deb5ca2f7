package org.waterspout.history;

import java.util.Map;
import java.util.OptionalLong;

/**
 * Where streams stand for a batch of users signing in.
 *
 * @param latest each stream's last number (absent: the stream has none yet)
 * @param acked per user, how far it acknowledged each stream it has an acknowledgement for
 */
public record SignInCursors(Map<String, Long> latest, Map<String, Map<String, Long>> acked) {

  public SignInCursors {
    latest = Map.copyOf(latest);
    Map<String, Map<String, Long>> copy = new java.util.HashMap<>();
    acked.forEach((user, streams) -> copy.put(user, Map.copyOf(streams)));
    acked = Map.copyOf(copy);
  }

  /** The stream's last number, 0 when it has none. */
  public long latest(String stream) {
    return latest.getOrDefault(stream, 0L);
  }

  /** How far {@code user} acknowledged {@code stream}; empty when it never did. */
  public OptionalLong acked(String user, String stream) {
    Long seq = acked.getOrDefault(user, Map.of()).get(stream);
    return seq == null ? OptionalLong.empty() : OptionalLong.of(seq);
  }
}
