package org.waterspout.history;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.waterspout.config.Settings;

/**
 * Stores a batch of taken notifications in one transaction of the database alone ({@link Intake}
 * gathers the batch): each notification once under its id, with its pending row for the {@link
 * Sequencer}. Locks no stream: a user's or a group's messages are taken in as fast as anyone's.
 */
@ApplicationScoped
public class IntakeStore {

  @PersistenceContext(unitName = "waterspout-history")
  EntityManager em;

  @Inject Settings settings;
  @Inject Receipts receipts;
  @Inject Event<NotificationPending> pending;

  /**
   * Stores the batch, in a transaction of its own that commits before this returns; for each
   * notification, in order, true when it was stored, false when its id was already stored (a
   * duplicate, not pushed again). Fires {@link NotificationPending} for each one stored.
   */
  @Transactional(TxType.REQUIRES_NEW)
  public List<Boolean> store(List<Intake.Taken> batch) {
    Set<String> ids = new HashSet<>();
    for (Intake.Taken taken : batch) {
      ids.add(taken.notification().id());
    }
    // One query for the batch: ids stored before, by an earlier delivery of the same message.
    Set<String> known =
        new HashSet<>(
            em.createQuery("SELECT n.id FROM NotificationRow n WHERE n.id IN :ids", String.class)
                .setParameter("ids", ids)
                .getResultList());
    List<Boolean> stored = new ArrayList<>(batch.size());
    List<Intake.Taken> fresh = new ArrayList<>(batch.size());
    for (Intake.Taken taken : batch) {
      // A second copy in the same batch finds the first one's id known.
      boolean isNew = known.add(taken.notification().id());
      stored.add(isNew);
      if (isNew) {
        fresh.add(taken);
      }
    }
    // The pending rows first, in the batch's order (their ids are the numbering order), then the
    // entities: the native inserts would flush the persistence context one entity at a time.
    for (Intake.Taken taken : fresh) {
      em.createNativeQuery(
              "INSERT INTO ws_pending (notification_id, user_names, group_names) VALUES (?, ?, ?)")
          .setParameter(1, taken.notification().id())
          .setParameter(2, Lines.join(new TreeSet<>(taken.notification().to().users())))
          .setParameter(3, Lines.join(new TreeSet<>(taken.notification().to().groups())))
          .executeUpdate();
    }
    long now = System.currentTimeMillis();
    for (Intake.Taken taken : fresh) {
      store(taken, now);
      pending.fire(new NotificationPending(taken.notification().id(), taken.receivedAt()));
    }
    return stored;
  }

  private void store(Intake.Taken taken, long now) {
    NotificationRow row =
        new NotificationRow(taken.notification().id(), taken.frame(), now, taken.expiresAt());
    taken
        .reply()
        .ifPresent(r -> row.wantReceipt(r, now + settings.history().unseenAfter().toMillis()));
    em.persist(row);
    taken.reply().ifPresent(r -> receipts.track(taken.notification()));
  }
}
