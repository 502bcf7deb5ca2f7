package org.waterspout.history;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The counters of streams ({@code ws_stream}): created when a stream gets its first notification,
 * locked while numbers are handed out, so that a stream's numbers have no holes and commit in
 * order.
 */
@ApplicationScoped
class StreamRows {

  /**
   * The names in lists of at most this many: an IN list of a bind parameter each has a limit
   * (PostgreSQL's protocol takes at most 32767 parameters in one statement).
   */
  static final int IN_LIST_MAX = 1000;

  @PersistenceContext(unitName = "waterspout-history")
  EntityManager em;

  /**
   * Locks the counters of {@code streams}, creating those that are missing; returns each one's last
   * number. Locked in name order by every transaction, so two never deadlock.
   */
  @Transactional(TxType.MANDATORY)
  Map<String, Long> lock(SortedSet<String> streams) {
    createMissing(streams);
    Map<String, Long> last = new HashMap<>();
    for (String stream : streams) {
      Object seq =
          em.createNativeQuery("SELECT last_seq FROM ws_stream WHERE name = ? FOR UPDATE")
              .setParameter(1, stream)
              .getSingleResult();
      last.put(stream, ((Number) seq).longValue());
    }
    return last;
  }

  /** Stores the new last numbers of streams locked by {@link #lock}. */
  @Transactional(TxType.MANDATORY)
  void update(Map<String, Long> last) {
    for (Map.Entry<String, Long> stream : new java.util.TreeMap<>(last).entrySet()) {
      em.createNativeQuery("UPDATE ws_stream SET last_seq = ? WHERE name = ?")
          .setParameter(1, stream.getValue())
          .setParameter(2, stream.getKey())
          .executeUpdate();
    }
  }

  /** The last number of each of {@code streams} that has one (no lock). */
  Map<String, Long> latest(Collection<String> streams) {
    Map<String, Long> latest = new HashMap<>();
    for (List<String> chunk : chunks(streams)) {
      @SuppressWarnings("unchecked")
      List<Object[]> rows =
          in(em, "SELECT name, last_seq FROM ws_stream WHERE name IN (%s)", chunk).getResultList();
      for (Object[] row : rows) {
        latest.put((String) row[0], ((Number) row[1]).longValue());
      }
    }
    return latest;
  }

  /**
   * Creates the counters that are missing, under the one ws_lock row, taken before any counter is
   * locked: a second transaction waits, then finds the rows committed, instead of failing on a
   * duplicate key (which would roll back a whole batch).
   */
  private void createMissing(Set<String> streams) {
    if (latest(streams).size() == streams.size()) {
      return;
    }
    lockCreation(em);
    Set<String> missing = new TreeSet<>(streams);
    missing.removeAll(latest(streams).keySet());
    for (String stream : missing) {
      em.createNativeQuery("INSERT INTO ws_stream (name, last_seq) VALUES (?, 0)")
          .setParameter(1, stream)
          .executeUpdate();
    }
  }

  /** Takes the ws_lock row: whoever creates counter or ack rows holds it first. */
  static void lockCreation(EntityManager em) {
    em.createNativeQuery("SELECT id FROM ws_lock WHERE id = 1 FOR UPDATE").getResultList();
  }

  /** A native query with {@code %s} replaced by one bind parameter per value. */
  static Query in(EntityManager em, String sql, List<?> values) {
    return bind(
        em, String.format(sql, String.join(", ", Collections.nCopies(values.size(), "?"))), values);
  }

  /**
   * A native query with {@code first}'s values bound to its first placeholders, then {@code then}.
   */
  static Query bind(EntityManager em, String sql, List<?> first, Object... then) {
    Query query = em.createNativeQuery(sql);
    int position = 1;
    for (Object value : first) {
      query.setParameter(position++, value);
    }
    for (Object value : then) {
      query.setParameter(position++, value);
    }
    return query;
  }

  /** The names in lists of at most {@link #IN_LIST_MAX}. */
  static <T> List<List<T>> chunks(Collection<T> names) {
    List<T> all = new ArrayList<>(new java.util.LinkedHashSet<>(names));
    List<List<T>> chunks = new ArrayList<>();
    for (int from = 0; from < all.size(); from += IN_LIST_MAX) {
      chunks.add(all.subList(from, Math.min(all.size(), from + IN_LIST_MAX)));
    }
    return chunks;
  }
}
