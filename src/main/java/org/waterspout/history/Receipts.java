package org.waterspout.history;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.logging.Logger;
import org.waterspout.history.NotificationRow.ReceiptState;
import org.waterspout.notification.Jsons;
import org.waterspout.notification.Notification;
import org.waterspout.notification.NotificationCodec;

/**
 * Receipts to the order system: {@code delivered} once every addressed user, and a member of every
 * addressed group, acknowledged a notification (in any of the streams it was in); {@code unseen}
 * when that has not happened within the configured time. A receipt is decided in one transaction
 * (the acks', or the time's) and sent in another that marks it sent, so it is sent once, and one
 * the broker does not take is sent again until it does (an outbox: no broker call holds the acks).
 */
@ApplicationScoped
public class Receipts {

  /** JMS property on a receipt: {@code delivered} or {@code unseen}. */
  public static final String KIND = "WaterSpoutReceipt";

  /** JMS property on a receipt: the notification's id. */
  public static final String NOTIFICATION_ID = "WaterSpoutNotificationId";

  private static final Logger LOG = Logger.getLogger(Receipts.class.getName());

  @PersistenceContext(unitName = "waterspout-history")
  EntityManager em;

  @Inject ReceiptSender sender;

  /** Starts tracking who has seen a notification that wants a receipt. */
  @Transactional(TxType.MANDATORY)
  void track(Notification notification) {
    for (String user : notification.to().users()) {
      em.persist(new ReceiptTarget(notification.id(), ReceiptTarget.USER, user));
    }
    for (String group : notification.to().groups()) {
      em.persist(new ReceiptTarget(notification.id(), ReceiptTarget.GROUP, group));
    }
  }

  /**
   * A user acknowledged a stream's numbers after {@code after} up to {@code upTo}: it has seen
   * those notifications, as a user and as a member of its groups.
   */
  record Seen(String user, Set<String> groups, String stream, long after, long upTo) {}

  /**
   * Marks the receipt targets that acknowledgements fulfil, and sends {@code delivered} for the
   * notifications every target of which has now seen. Notification rows are locked in id order
   * across all of {@code acks}, as {@link #decideUnseen} locks them, so the two never deadlock.
   */
  @Transactional(TxType.MANDATORY)
  void seen(List<Seen> acks) {
    if (acks.isEmpty() || !anyWaiting()) {
      return;
    }
    Map<String, List<Seen>> byStream = new TreeMap<>();
    for (Seen ack : acks) {
      byStream.computeIfAbsent(ack.stream(), s -> new ArrayList<>()).add(ack);
    }
    Map<String, List<Seen>> byNotification = new TreeMap<>();
    for (Map.Entry<String, List<Seen>> stream : byStream.entrySet()) {
      // One read per stream, however many of its followers acknowledged (a group's members).
      long from = stream.getValue().stream().mapToLong(Seen::after).min().orElseThrow();
      long to = stream.getValue().stream().mapToLong(Seen::upTo).max().orElseThrow();
      @SuppressWarnings("unchecked")
      List<Object[]> entries =
          em.createNativeQuery(
                  "SELECT e.notification_id, e.seq FROM ws_stream_entry e JOIN ws_notification n"
                      + " ON n.id = e.notification_id WHERE e.stream = ? AND e.seq > ?"
                      + " AND e.seq <= ? AND n.receipt_state IN (?, ?, ?)")
              .setParameter(1, stream.getKey())
              .setParameter(2, from)
              .setParameter(3, to)
              .setParameter(4, ReceiptState.PENDING.name())
              // An unseen receipt went already (or waits for the broker); acknowledged by all
              // later, it is still delivered.
              .setParameter(5, ReceiptState.UNSEEN.name())
              .setParameter(6, ReceiptState.SEND_UNSN.name())
              .getResultList();
      for (Object[] entry : entries) {
        long seq = ((Number) entry[1]).longValue();
        for (Seen ack : stream.getValue()) {
          if (seq > ack.after() && seq <= ack.upTo()) {
            byNotification.computeIfAbsent((String) entry[0], i -> new ArrayList<>()).add(ack);
          }
        }
      }
    }
    long now = System.currentTimeMillis();
    for (Map.Entry<String, List<Seen>> entry : byNotification.entrySet()) {
      // Locked, so that of two users acknowledging at once, one sees the other's mark.
      NotificationRow notification =
          em.find(NotificationRow.class, entry.getKey(), LockModeType.PESSIMISTIC_WRITE);
      if (notification == null
          || notification.receiptState() == ReceiptState.DELIVERED
          || notification.receiptState() == ReceiptState.SEND_DLVD
          || notification.receiptState() == ReceiptState.LATER_VERSION) {
        continue;
      }
      for (Seen ack : entry.getValue()) {
        markSeen(notification.id(), ReceiptTarget.USER, List.of(ack.user()), now);
        markSeen(notification.id(), ReceiptTarget.GROUP, ack.groups(), now);
      }
      List<ReceiptTarget> targets = targets(notification.id());
      if (targets.stream().allMatch(ReceiptTarget::seen)) {
        // Decided here, sent by sendOwed in a transaction of its own: no broker call in the ack
        // writer's transaction. Delivered supersedes an unseen not sent yet: it is the last word.
        notification.owe(ReceiptState.SEND_DLVD, now);
      }
    }
  }

  /** The group streams that hold a notification waiting for its receipt (read at start). */
  @Transactional
  public List<String> groupStreamsWaiting() {
    @SuppressWarnings("unchecked")
    List<String> streams =
        em.createNativeQuery(
                "SELECT DISTINCT e.stream FROM ws_stream_entry e JOIN ws_notification n"
                    + " ON n.id = e.notification_id WHERE n.receipt_state = ?"
                    + " AND e.stream LIKE ?")
            .setParameter(1, ReceiptState.PENDING.name())
            .setParameter(2, Streams.ofGroup("") + "%")
            .getResultList();
    return streams;
  }

  /** Whether any notification waits for a receipt (an index read): most acks then need no more. */
  private boolean anyWaiting() {
    return !em.createQuery(
            "SELECT n.id FROM NotificationRow n"
                + " WHERE n.receiptState IN (:pending, :unseen, :unseenToSend)",
            String.class)
        .setParameter("pending", ReceiptState.PENDING.name())
        .setParameter("unseen", ReceiptState.UNSEEN.name())
        .setParameter("unseenToSend", ReceiptState.SEND_UNSN.name())
        .setMaxResults(1)
        .getResultList()
        .isEmpty();
  }

  /**
   * Decides {@code unseen} for up to {@code max} notifications whose time is up (sendOwed sends
   * it); returns how many. Several instances may run this at once: the row lock and state check
   * decide each once.
   */
  @Transactional
  public int decideUnseen(int max) {
    List<String> due =
        em.createQuery(
                "SELECT n.id FROM NotificationRow n WHERE n.receiptState = :pending"
                    + " AND n.receiptDue <= :now ORDER BY n.receiptDue",
                String.class)
            .setParameter("pending", ReceiptState.PENDING.name())
            .setParameter("now", System.currentTimeMillis())
            .setMaxResults(max)
            .getResultList();
    int decided = 0;
    long now = System.currentTimeMillis();
    for (String id : new TreeSet<>(due)) {
      NotificationRow notification =
          em.find(NotificationRow.class, id, LockModeType.PESSIMISTIC_WRITE);
      if (notification != null && notification.receiptState() == ReceiptState.PENDING) {
        notification.owe(ReceiptState.SEND_UNSN, now);
        decided++;
      }
    }
    return decided;
  }

  /**
   * Sends up to {@code max} decided receipts whose time has come, each in a transaction of its own
   * that also marks it sent ({@link ReceiptSender#sendOne}); returns how many the broker took. One
   * the broker does not take waits {@link ReceiptSender#RETRY_MILLIS} and ends the round: the
   * broker is away, and the others would wait for it too.
   */
  public int sendOwed(int max) {
    int sent = 0;
    for (String id : sender.due(max)) {
      ReceiptSender.Outcome outcome;
      try {
        outcome = sender.sendOne(id);
      } catch (RuntimeException e) {
        // The commit failed (the broker went away between the send and the commit).
        LOG.warning("Could not commit the receipt of " + id + ", it is sent again: " + e);
        outcome = ReceiptSender.Outcome.RETRY;
      }
      if (outcome == ReceiptSender.Outcome.RETRY) {
        sender.postpone(id);
        break;
      }
      if (outcome == ReceiptSender.Outcome.SENT) {
        sent++;
      }
    }
    return sent;
  }

  private void markSeen(String id, String kind, Collection<String> names, long now) {
    for (List<String> chunk : StreamRows.chunks(names)) {
      em.createQuery(
              "UPDATE ReceiptTarget t SET t.seenAt = :now WHERE t.notificationId = :id"
                  + " AND t.kind = :kind AND t.name IN :names AND t.seenAt = 0")
          .setParameter("now", now)
          .setParameter("id", id)
          .setParameter("kind", kind)
          .setParameter("names", chunk)
          .executeUpdate();
    }
  }

  private List<ReceiptTarget> targets(String id) {
    return em.createQuery(
            "SELECT t FROM ReceiptTarget t WHERE t.notificationId = :id ORDER BY t.kind, t.name",
            ReceiptTarget.class)
        .setParameter("id", id)
        .getResultList();
  }

  /** The receipt's JSON body. */
  static final class ReceiptFormat {
    private ReceiptFormat() {}

    static String json(String id, String kind, Instant at, List<ReceiptTarget> targets) {
      return NotificationCodec.write(
          Jsons.PROVIDER
              .createObjectBuilder()
              .add("receipt", kind)
              .add("id", id)
              .add("at", at.toString())
              .add("seen", names(targets, true))
              .add("unseen", names(targets, false))
              .build());
    }

    private static jakarta.json.JsonObjectBuilder names(List<ReceiptTarget> targets, boolean seen) {
      JsonArrayBuilder users = Jsons.PROVIDER.createArrayBuilder();
      JsonArrayBuilder groups = Jsons.PROVIDER.createArrayBuilder();
      for (ReceiptTarget target : targets) {
        if (target.seen() == seen) {
          (ReceiptTarget.USER.equals(target.kind()) ? users : groups).add(target.name());
        }
      }
      return Jsons.PROVIDER.createObjectBuilder().add("users", users).add("groups", groups);
    }
  }
}
