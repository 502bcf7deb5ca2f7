package org.waterspout.history;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Stores acknowledgements, many in one transaction, and sends the receipts they complete. The
 * acknowledgements of one stream are locked and updated together, a statement for many users: the
 * thousands of members that acknowledge one group notification cost a few statements, not a few
 * each.
 */
@ApplicationScoped
class AckStore {

  @PersistenceContext(unitName = "waterspout-history")
  EntityManager em;

  @Inject StreamRows streams;
  @Inject Receipts receipts;

  /** Users of one stream that acknowledged up to the same number. */
  private record Step(String stream, long seq) {}

  /**
   * Stores {@code acks} (one per user and stream): never backwards, never beyond the stream's last
   * number. Rows are locked in (stream, user) order by every transaction, so two never deadlock.
   */
  @Transactional(TxType.REQUIRES_NEW)
  void write(List<Ack> acks) {
    List<Ack> sorted = new ArrayList<>(acks);
    sorted.sort(Comparator.comparing(Ack::stream).thenComparing(Ack::user));
    Map<String, Long> latest = streams.latest(sorted.stream().map(Ack::stream).toList());
    Map<String, List<String>> usersByStream = new TreeMap<>();
    sorted.forEach(
        a -> usersByStream.computeIfAbsent(a.stream(), s -> new ArrayList<>()).add(a.user()));
    Map<String, Map<String, Long>> rows = new HashMap<>();
    usersByStream.forEach((stream, users) -> rows.put(stream, lockRows(stream, users)));

    List<Ack> missing =
        sorted.stream().filter(a -> !rows.get(a.stream()).containsKey(a.user())).toList();
    Set<Ack> inserted = new HashSet<>();
    if (!missing.isEmpty()) {
      // Created under ws_lock, which no transaction takes while it holds an ack row it created,
      // so a second writer waits here and then finds the row.
      StreamRows.lockCreation(em);
      for (Ack ack : missing) {
        Map<String, Long> found = lockRows(ack.stream(), List.of(ack.user()));
        if (found.isEmpty()) {
          long seq = Math.min(ack.seq(), latest.getOrDefault(ack.stream(), 0L));
          em.createNativeQuery(
                  "INSERT INTO ws_stream_ack (user_id, stream, acked_seq) VALUES (?, ?, ?)")
              .setParameter(1, ack.user())
              .setParameter(2, ack.stream())
              .setParameter(3, seq)
              .executeUpdate();
          // An initial row marks where following began: nothing before it was seen.
          found = Map.of(ack.user(), ack.initial() ? seq : 0L);
          inserted.add(ack);
        }
        rows.get(ack.stream()).putAll(found);
      }
    }

    Map<Step, List<String>> steps =
        new TreeMap<>(Comparator.comparing(Step::stream).thenComparingLong(Step::seq));
    List<Receipts.Seen> seen = new ArrayList<>();
    for (Ack ack : sorted) {
      long was = rows.get(ack.stream()).get(ack.user());
      long seq = Math.min(ack.seq(), latest.getOrDefault(ack.stream(), 0L));
      if (ack.initial() || seq <= was) {
        continue;
      }
      if (!inserted.contains(ack)) {
        steps.computeIfAbsent(new Step(ack.stream(), seq), s -> new ArrayList<>()).add(ack.user());
      }
      seen.add(new Receipts.Seen(ack.user(), ack.groups(), ack.stream(), was, seq));
    }
    steps.forEach(this::update);
    receipts.seen(seen);
  }

  /** Locks the users' rows for the stream: their acknowledged numbers, by user (none: no row). */
  private Map<String, Long> lockRows(String stream, List<String> users) {
    Map<String, Long> found = new HashMap<>();
    for (List<String> chunk : StreamRows.chunks(users)) {
      @SuppressWarnings("unchecked")
      List<Object[]> rows =
          StreamRows.bind(
                  em,
                  StreamRows.placeholders(
                      "SELECT user_id, acked_seq FROM ws_stream_ack WHERE user_id IN (%s)"
                          + " AND stream = ? ORDER BY user_id FOR UPDATE",
                      chunk.size()),
                  chunk,
                  stream)
              .getResultList();
      rows.forEach(row -> found.put((String) row[0], ((Number) row[1]).longValue()));
    }
    return found;
  }

  /** Moves the users' acknowledgement of {@code step}'s stream up to its number. */
  private void update(Step step, List<String> users) {
    for (List<String> chunk : StreamRows.chunks(users)) {
      StreamRows.bind(
              em,
              StreamRows.placeholders(
                  "UPDATE ws_stream_ack SET acked_seq = ? WHERE user_id IN (%s) AND stream = ?"
                      + " AND acked_seq < ?",
                  chunk.size()),
              List.of(step.seq()),
              concat(chunk, step.stream(), step.seq()))
          .executeUpdate();
    }
  }

  private static Object[] concat(List<String> users, Object... then) {
    Object[] all = new Object[users.size() + then.length];
    for (int i = 0; i < users.size(); i++) {
      all[i] = users.get(i);
    }
    System.arraycopy(then, 0, all, users.size(), then.length);
    return all;
  }
}
