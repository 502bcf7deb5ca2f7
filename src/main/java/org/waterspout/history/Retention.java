package org.waterspout.history;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import org.waterspout.config.Settings;

/**
 * Enforces retention: notifications older than the maximum age go (and their ids, so a message
 * redelivered after that long would be stored again), and each user keeps at most the configured
 * number. Users' sequence counters stay, so numbers never repeat. Idempotent: every instance may
 * run it.
 */
@ApplicationScoped
public class Retention {

  @PersistenceContext(unitName = "waterspout-history")
  EntityManager em;

  @Inject Settings settings;

  /** One retention pass; returns how many rows of users' sequences it dropped. */
  @Transactional
  public int purge() {
    long cutoff = System.currentTimeMillis() - settings.history().maxAge().toMillis();
    int dropped =
        em.createQuery("DELETE FROM DeliveryRow d WHERE d.acceptedAt < :cutoff")
            .setParameter("cutoff", cutoff)
            .executeUpdate();
    dropped +=
        em.createNativeQuery(
                "DELETE FROM ws_delivery WHERE seq <= (SELECT i.last_seq FROM ws_inbox i"
                    + " WHERE i.user_id = ws_delivery.user_id) - ?")
            .setParameter(1, settings.history().maxPerUser())
            .executeUpdate();
    em.createQuery("DELETE FROM StoredNotification n WHERE n.acceptedAt < :cutoff")
        .setParameter("cutoff", cutoff)
        .executeUpdate();
    // Then their receipt targets: deliveries, notifications, targets, as an ack locks them.
    em.createQuery(
            "DELETE FROM ReceiptTarget t WHERE NOT EXISTS"
                + " (SELECT n FROM StoredNotification n WHERE n.id = t.notificationId)")
        .executeUpdate();
    em.createQuery("DELETE FROM Membership m WHERE m.seenAt < :cutoff")
        .setParameter("cutoff", cutoff)
        .executeUpdate();
    return dropped;
  }
}
