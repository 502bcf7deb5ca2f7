package org.waterspout.history;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Destination;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.InvalidDestinationRuntimeException;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.JMSSecurityRuntimeException;
import jakarta.jms.TextMessage;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.time.Instant;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.waterspout.config.JndiNames;
import org.waterspout.history.NotificationRow.ReceiptState;

/**
 * The outbox of receipts: each decided receipt ({@code SEND_DLVD}, {@code SEND_UNSN}) is sent in a
 * transaction of its own that also marks it sent (the XA connection factory and the history commit
 * together), so it goes once, and one the broker does not take stays decided and is sent again.
 */
@ApplicationScoped
class ReceiptSender {

  private static final Logger LOG = Logger.getLogger(ReceiptSender.class.getName());

  /** How long a receipt the broker did not take waits before it is sent again. */
  static final long RETRY_MILLIS = 5_000;

  /** What became of one receipt. */
  enum Outcome {
    /** The broker took it, and it is marked sent. */
    SENT,
    /** Nothing to send (another instance sent it, or retention dropped it). */
    NONE,
    /**
     * It can never be sent (its reply destination is gone, or this server may not send there): it
     * is logged and marked as sent, not tried forever.
     */
    DROPPED,
    /** The broker did not take it (down, failing over): sent again later. */
    RETRY
  }

  @PersistenceContext(unitName = "waterspout-history")
  EntityManager em;

  @Resource(lookup = JndiNames.CONNECTION_FACTORY_REF)
  ConnectionFactory connectionFactory;

  /** The ids of up to {@code max} decided receipts whose time has come, the longest due first. */
  @Transactional
  List<String> due(int max) {
    return em.createQuery(
            "SELECT n.id FROM NotificationRow n WHERE n.receiptState IN (:delivered, :unseen)"
                + " AND n.receiptDue <= :now ORDER BY n.receiptDue",
            String.class)
        .setParameter("delivered", ReceiptState.SEND_DLVD.name())
        .setParameter("unseen", ReceiptState.SEND_UNSN.name())
        .setParameter("now", System.currentTimeMillis())
        .setMaxResults(max)
        .getResultList();
  }

  /**
   * Sends the receipt of notification {@code id} and marks it sent, in one new transaction. The row
   * lock and the state check send it once when several instances try at once.
   */
  @Transactional(TxType.REQUIRES_NEW)
  Outcome sendOne(String id) {
    NotificationRow notification =
        em.find(NotificationRow.class, id, LockModeType.PESSIMISTIC_WRITE);
    ReceiptState state = notification == null ? null : notification.receiptState();
    if (state != ReceiptState.SEND_DLVD && state != ReceiptState.SEND_UNSN) {
      return Outcome.NONE;
    }
    boolean delivered = state == ReceiptState.SEND_DLVD;
    String kind = delivered ? "delivered" : "unseen";
    List<ReceiptTarget> targets =
        em.createQuery(
                "SELECT t FROM ReceiptTarget t WHERE t.notificationId = :id"
                    + " ORDER BY t.kind, t.name",
                ReceiptTarget.class)
            .setParameter("id", id)
            .getResultList();
    Outcome outcome = send(notification, kind, targets);
    if (outcome != Outcome.RETRY) {
      notification.receipt(delivered ? ReceiptState.DELIVERED : ReceiptState.UNSEEN);
    }
    return outcome;
  }

  /** A receipt the broker did not take: due again in {@link #RETRY_MILLIS}. */
  @Transactional(TxType.REQUIRES_NEW)
  void postpone(String id) {
    NotificationRow notification = em.find(NotificationRow.class, id);
    if (notification != null) {
      ReceiptState state = notification.receiptState();
      if (state == ReceiptState.SEND_DLVD || state == ReceiptState.SEND_UNSN) {
        notification.owe(state, System.currentTimeMillis() + RETRY_MILLIS);
      }
    }
  }

  private Outcome send(NotificationRow notification, String kind, List<ReceiptTarget> targets) {
    ReplyAddress reply = notification.replyAddress();
    String body = Receipts.ReceiptFormat.json(notification.id(), kind, Instant.now(), targets);
    try (JMSContext context = connectionFactory.createContext()) {
      Destination destination =
          reply.kind() == ReplyAddress.Kind.QUEUE
              ? context.createQueue(reply.name())
              : context.createTopic(reply.name());
      TextMessage message = context.createTextMessage(body);
      message.setJMSCorrelationID(reply.correlationId());
      message.setStringProperty(Receipts.KIND, kind);
      message.setStringProperty(Receipts.NOTIFICATION_ID, notification.id());
      context.createProducer().send(destination, message);
      return Outcome.SENT;
    } catch (InvalidDestinationException
        | InvalidDestinationRuntimeException
        | JMSSecurityException
        | JMSSecurityRuntimeException e) {
      LOG.warning(
          "The "
              + kind
              + " receipt of "
              + notification.id()
              + " cannot be sent to "
              + reply
              + ", and is dropped: "
              + e);
      return Outcome.DROPPED;
    } catch (JMSException | JMSRuntimeException e) {
      LOG.warning(
          "Could not send the "
              + kind
              + " receipt of "
              + notification.id()
              + " to "
              + reply
              + "; it is sent again in "
              + RETRY_MILLIS / 1000
              + " s: "
              + e
              + (e.getCause() == null ? "" : " (" + e.getCause() + ")"));
      LOG.log(Level.FINE, "The failed send", e);
      return Outcome.RETRY;
    }
  }
}
