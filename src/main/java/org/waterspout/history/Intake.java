package org.waterspout.history;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.util.Optional;
import java.util.TreeSet;
import org.waterspout.config.Settings;
import org.waterspout.notification.Notification;

/**
 * Stores each accepted notification once, in a transaction that commits before its message is
 * acknowledged to the broker, to be numbered in its streams by the {@link Sequencer} once that
 * commits.
 */
@ApplicationScoped
public class Intake {

  @PersistenceContext(unitName = "waterspout-history")
  EntityManager em;

  @Inject Settings settings;
  @Inject Receipts receipts;

  /**
   * Stores a notification in the caller's transaction (the intake's). False when its id is already
   * stored: a duplicate, not pushed again. Locks no stream: a user's or a group's messages are
   * taken in as fast as anyone's.
   */
  @Transactional(TxType.MANDATORY)
  public boolean store(
      Notification notification, String frame, long expiresAt, Optional<ReplyAddress> reply) {
    if (em.find(NotificationRow.class, notification.id()) != null) {
      return false;
    }
    long now = System.currentTimeMillis();
    NotificationRow row = new NotificationRow(notification.id(), frame, now, expiresAt);
    reply.ifPresent(r -> row.wantReceipt(r, now + settings.history().unseenAfter().toMillis()));
    em.persist(row);
    em.createNativeQuery(
            "INSERT INTO ws_pending (notification_id, user_names, group_names) VALUES (?, ?, ?)")
        .setParameter(1, notification.id())
        .setParameter(2, Lines.join(new TreeSet<>(notification.to().users())))
        .setParameter(3, Lines.join(new TreeSet<>(notification.to().groups())))
        .executeUpdate();
    reply.ifPresent(r -> receipts.track(notification));
    return true;
  }
}
