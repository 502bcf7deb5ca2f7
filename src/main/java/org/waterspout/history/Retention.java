package org.waterspout.history;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import org.waterspout.config.Settings;

/**
 * Enforces retention: notifications older than the maximum age go (and their ids, so a message
 * redelivered after that long would be stored again), and each stream (a user's own, or a group's)
 * keeps at most the configured number. Streams' counters and users' acknowledgements stay, so
 * numbers never repeat. Idempotent: every instance may run it.
 */
@ApplicationScoped
public class Retention {

  @PersistenceContext(unitName = "waterspout-history")
  EntityManager em;

  @Inject Settings settings;

  /** One retention pass; returns how many places in streams it dropped. */
  @Transactional
  public int purge() {
    long cutoff = System.currentTimeMillis() - settings.history().maxAge().toMillis();
    int dropped =
        em.createNativeQuery("DELETE FROM ws_stream_entry WHERE accepted_at < ?")
            .setParameter(1, cutoff)
            .executeUpdate();
    dropped +=
        em.createNativeQuery(
                "DELETE FROM ws_stream_entry WHERE seq <= (SELECT s.last_seq FROM ws_stream s"
                    + " WHERE s.name = ws_stream_entry.stream) - ?")
            .setParameter(1, settings.history().maxPerUser())
            .executeUpdate();
    em.createQuery("DELETE FROM NotificationRow n WHERE n.acceptedAt < :cutoff")
        .setParameter("cutoff", cutoff)
        .executeUpdate();
    // Then their receipt targets: entries, notifications, targets, in the order acks lock them.
    em.createQuery(
            "DELETE FROM ReceiptTarget t WHERE NOT EXISTS"
                + " (SELECT n FROM NotificationRow n WHERE n.id = t.notificationId)")
        .executeUpdate();
    return dropped;
  }
}
