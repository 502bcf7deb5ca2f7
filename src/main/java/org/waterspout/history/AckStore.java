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
   * number. The common case, a row that moves forward, is one conditional update per ack, with no
   * read. Rows that are missing are created under ws_lock, as streams are. Rows are updated in
   * (user, stream) order by every transaction; one that creates rows takes ws_lock after updating
   * some, so two writers can still deadlock (one creating a row the other then updates): the
   * database breaks it, and the batch rolls back and is written again a second later.
   *
   * <p>What an ack says the user saw counts from what its session had acknowledged before ({@link
   * Ack#after}), whether or not the row moved: a later ack of the same session, stored first (from
   * the other gathering, or by a writer that overtook this one), must not make this one's range
   * count for nothing. Marking a notification seen twice changes nothing.
   */
  @Transactional(TxType.REQUIRES_NEW)
  void write(List<Ack> acks) {
    List<Ack> sorted = new ArrayList<>(acks);
    sorted.sort(Comparator.comparing(Ack::user).thenComparing(Ack::stream));
    Map<String, Long> latest = streams.latest(sorted.stream().map(Ack::stream).toList());
    List<Receipts.Seen> seen = new ArrayList<>();
    List<Ack> rest = new ArrayList<>();
    for (Ack ack : sorted) {
      long seq = upTo(ack, latest);
      if (ack.initial()) {
        rest.add(ack);
      } else {
        // An ack with nothing after its start (a first ack of a group stream, which claims nothing
        // before it) still moves the row; only a range fulfils receipts.
        if (seq > ack.after()) {
          seen.add(new Receipts.Seen(ack.user(), ack.groups(), ack.stream(), ack.after(), seq));
        }
        if (!advance(ack, seq)) {
          rest.add(ack);
        }
      }
    }
    List<Ack> missing = new ArrayList<>();
    for (Ack ack : rest) {
      // Not moved: the row is missing, or at or past this ack already, or made meanwhile by
      // another instance (an initial row, perhaps behind this ack).
      Long was = stored(ack);
      if (was == null) {
        missing.add(ack);
      } else if (!ack.initial() && was < upTo(ack, latest)) {
        advance(ack, upTo(ack, latest));
      }
    }
    if (!missing.isEmpty()) {
      // Created under ws_lock, so a second writer waits here and then finds the row.
      StreamRows.lockCreation(em);
    }
    for (Ack ack : missing) {
      long seq = upTo(ack, latest);
      Long was = stored(ack);
      if (was == null) {
        em.createNativeQuery(
                "INSERT INTO ws_stream_ack (user_id, stream, acked_seq) VALUES (?, ?, ?)")
            .setParameter(1, ack.user())
            .setParameter(2, ack.stream())
            .setParameter(3, seq)
            .executeUpdate();
      } else if (!ack.initial() && was < seq) {
        advance(ack, seq);
      }
    }
    receipts.seen(seen);
  }

  private static long upTo(Ack ack, Map<String, Long> latest) {
    return Math.min(ack.seq(), latest.getOrDefault(ack.stream(), 0L));
  }

  /** Moves the user's row for the stream to {@code seq} if it is behind; false when it is not. */
  private boolean advance(Ack ack, long seq) {
    return em.createNativeQuery(
                "UPDATE ws_stream_ack SET acked_seq = ? WHERE user_id = ? AND stream = ?"
                    + " AND acked_seq < ?")
            .setParameter(1, seq)
            .setParameter(2, ack.user())
            .setParameter(3, ack.stream())
            .setParameter(4, seq)
            .executeUpdate()
        > 0;
  }

  /** The user's acknowledged number in the stream, or null when it has none. */
  private Long stored(Ack ack) {
    List<?> row =
        em.createNativeQuery("SELECT acked_seq FROM ws_stream_ack WHERE user_id = ? AND stream = ?")
            .setParameter(1, ack.user())
            .setParameter(2, ack.stream())
            .getResultList();
    return row.isEmpty() ? null : ((Number) row.get(0)).longValue();
  }
}
