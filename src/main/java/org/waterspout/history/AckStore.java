package org.waterspout.history;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Stores acknowledgements, many in one transaction, and sends the receipts they complete. */
@ApplicationScoped
class AckStore {

  @PersistenceContext(unitName = "waterspout-history")
  EntityManager em;

  @Inject StreamRows streams;
  @Inject Receipts receipts;

  /** Nothing: called at start so that this bean, and its persistence context, exist from then. */
  void ready() {
    // The call is what counts: it makes the instance behind the proxy.
  }

  /**
   * Stores {@code acks} (one per user and stream): never backwards, never beyond the stream's last
   * number. Rows are locked in (user, stream) order by every transaction, so two never deadlock.
   */
  @Transactional(TxType.REQUIRES_NEW)
  void write(List<Ack> acks) {
    List<Ack> sorted = new ArrayList<>(acks);
    sorted.sort(Comparator.comparing(Ack::user).thenComparing(Ack::stream));
    Map<String, Long> latest = streams.latest(sorted.stream().map(Ack::stream).toList());
    List<Ack> missing = new ArrayList<>();
    List<Receipts.Seen> seen = new ArrayList<>();
    List<Long> before = new ArrayList<>();
    for (Ack ack : sorted) {
      before.add(lockRow(ack));
      if (before.get(before.size() - 1) == null) {
        missing.add(ack);
      }
    }
    if (!missing.isEmpty()) {
      // Created under ws_lock, which no transaction takes while it holds an ack row it created,
      // so a second writer waits here and then finds the row.
      StreamRows.lockCreation(em);
    }
    for (int i = 0; i < sorted.size(); i++) {
      Ack ack = sorted.get(i);
      Long was = before.get(i);
      long last = latest.getOrDefault(ack.stream(), 0L);
      long seq = Math.min(ack.seq(), last);
      if (was == null) {
        was = lockRow(ack);
      }
      if (was == null) {
        em.createNativeQuery(
                "INSERT INTO ws_stream_ack (user_id, stream, acked_seq) VALUES (?, ?, ?)")
            .setParameter(1, ack.user())
            .setParameter(2, ack.stream())
            .setParameter(3, seq)
            .executeUpdate();
        // An initial row marks where following began: nothing before it was seen.
        was = ack.initial() ? seq : 0L;
      } else if (!ack.initial() && seq > was) {
        em.createNativeQuery(
                "UPDATE ws_stream_ack SET acked_seq = ? WHERE user_id = ? AND stream = ?")
            .setParameter(1, seq)
            .setParameter(2, ack.user())
            .setParameter(3, ack.stream())
            .executeUpdate();
      }
      if (!ack.initial() && seq > was) {
        seen.add(new Receipts.Seen(ack.user(), ack.groups(), ack.stream(), was, seq));
      }
    }
    receipts.seen(seen);
  }

  /** Locks the user's row for the stream; its acknowledged number, or null when it has none. */
  private Long lockRow(Ack ack) {
    List<?> row =
        em.createNativeQuery(
                "SELECT acked_seq FROM ws_stream_ack WHERE user_id = ? AND stream = ? FOR UPDATE")
            .setParameter(1, ack.user())
            .setParameter(2, ack.stream())
            .getResultList();
    return row.isEmpty() ? null : ((Number) row.get(0)).longValue();
  }
}
