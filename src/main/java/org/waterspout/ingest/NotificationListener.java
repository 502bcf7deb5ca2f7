package org.waterspout.ingest;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJBException;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.TextMessage;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.waterspout.config.JndiNames;
import org.waterspout.config.Settings;
import org.waterspout.history.Intake;
import org.waterspout.history.ReplyAddress;
import org.waterspout.notification.InvalidNotificationException;
import org.waterspout.notification.Limits;
import org.waterspout.notification.Notification;
import org.waterspout.notification.NotificationAccepted;
import org.waterspout.notification.NotificationCodec;

/**
 * Reads the order system's messages from the input queue. A valid message is stored in the history
 * by the {@link Intake} (or, with the history off, pushed at once as {@link NotificationAccepted});
 * a message whose id is already stored is dropped; an invalid one is moved to the rejected queue,
 * and so is one the history refused on each of its allowed deliveries (a poison message).
 *
 * <p>Bean-managed: each message's work is a transaction of the database alone, committed before the
 * broker is told the message was taken, rather than one XA transaction over the broker and the
 * database; the {@link Intake} commits the messages of the broker's busy sessions together. A
 * failure throws, so the broker redelivers. A server that dies after the commit and before the
 * acknowledgement gets the message again, and the id drops it as already stored; the two-phase
 * commit this saves cost the broker two journal writes and the database a prepare per message (the
 * intake went up 1.5 to 1.7 times: README, Benchmark). A rejection is sent outside any transaction,
 * so that Artemis quietly drops the copy of a rejection sent again after such a crash (see {@link
 * Rejections}). A message without an {@code id} and without a JMSMessageID (STOMP) gets a new id
 * each time, so only such a message can come twice, and only after a crash in that moment.
 */
@MessageDriven(
    activationConfig = {
      @ActivationConfigProperty(
          propertyName = "destinationType",
          propertyValue = "jakarta.jms.Queue"),
      @ActivationConfigProperty(
          propertyName = "destinationLookup",
          propertyValue = JndiNames.NOTIFICATIONS_QUEUE)
    })
@TransactionManagement(TransactionManagementType.BEAN)
public class NotificationListener implements MessageListener {

  private static final Logger LOG = Logger.getLogger(NotificationListener.class.getName());

  @Inject Settings settings;
  @Inject Rejections rejections;
  @Inject Event<NotificationAccepted> accepted;
  @Inject Intake intake;

  // Set once in init(); volatile, as the container may call onMessage on another thread.
  private volatile NotificationCodec codec;
  private volatile boolean misconfigured;

  @PostConstruct
  void init() {
    misconfigured = !settings.problems().isEmpty();
    if (!misconfigured) {
      codec = new NotificationCodec(new Limits(settings.maxMessageBytes()));
    }
  }

  @Override
  public void onMessage(Message message) {
    if (misconfigured) {
      // Payara starts message-driven beans just before CDI fails the deployment (StartupCheck):
      // roll back, so the message stays queued for a correctly configured deployment. This costs
      // it a delivery attempt or two (of ten) in the moment before the bean is stopped.
      throw new EJBException("WaterSpout is misconfigured and not started; message left queued");
    }
    long receivedAt = System.nanoTime();
    try {
      Notification notification;
      Optional<ReplyAddress> reply;
      try {
        notification = decode(message);
        reply = ReplyAddresses.of(message, notification);
      } catch (InvalidNotificationException e) {
        // Outside a transaction: a send that Artemis finds to be a duplicate (the same rejection
        // again, after a crash before the acknowledgement) is then dropped quietly, where in a
        // transaction it would fail the commit and send the message round again, to DLQ at last.
        rejections.reject(message, e.getMessage());
        return;
      }
      String frame = codec.encodeFrame(notification);
      if (!settings.history().enabled()) {
        push(new NotificationAccepted(notification, frame, receivedAt));
        return;
      }
      Intake.Taken taken =
          new Intake.Taken(notification, frame, message.getJMSExpiration(), reply, receivedAt);
      long holdUntil = System.nanoTime() + UNREACHABLE_HOLD_NANOS;
      long pause = FIRST_PAUSE_MILLIS;
      while (true) {
        try {
          if (!intake.take(taken)) {
            LOG.fine(
                () -> "Notification " + notification.id() + " is already stored: not pushed again");
          }
          return;
        } catch (RuntimeException e) {
          if (!Intake.unreachable(e)
              || System.nanoTime() > holdUntil
              || Thread.currentThread().isInterrupted()
              || intake.stopping()) {
            refused(message, notification, e);
            return;
          }
          holding(notification, e);
          pause = hold(pause);
        }
      }
    } catch (JMSException e) {
      throw new EJBException("Could not read message; the broker will redeliver it", e);
    }
  }

  /**
   * How long a delivery holds its message while the database cannot be reached, before it lets the
   * broker redeliver it: holding keeps the order of a user's messages (a redelivery after the
   * broker's back-off lets the ones behind it pass), and a database that comes back within this
   * time loses no delivery attempt.
   */
  private static final long UNREACHABLE_HOLD_NANOS = TimeUnit.SECONDS.toNanos(120);

  private static final long FIRST_PAUSE_MILLIS = 250;
  private static final long MAX_PAUSE_MILLIS = 5_000;
  private static final long STOP_LOOK_MILLIS = 100;

  private static final long MINUTE_NANOS = TimeUnit.MINUTES.toNanos(1);

  /** When the last "holding" warning was said (one a minute while the database is away). */
  private static final AtomicLong LAST_SAID = new AtomicLong(System.nanoTime() - MINUTE_NANOS);

  private static void holding(Notification notification, RuntimeException e) {
    long now = System.nanoTime();
    long last = LAST_SAID.get();
    if (now - last >= MINUTE_NANOS && LAST_SAID.compareAndSet(last, now)) {
      LOG.warning(
          "The history's database cannot be reached: notification "
              + notification.id()
              + ", and the ones behind it, wait in the queue until it is back (each up to "
              + TimeUnit.NANOSECONDS.toSeconds(UNREACHABLE_HOLD_NANOS)
              + " s, then the broker's redelivery): "
              + reason(e)
              + " (said once a minute while it lasts)");
    }
  }

  /**
   * Waits {@code pause} ms, in slices so that a stop is seen at once; returns the next pause
   * (doubled, up to 5 s).
   */
  private long hold(long pause) {
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pause);
    try {
      while (System.nanoTime() < until) {
        if (intake.stopping()) {
          throw stopping();
        }
        TimeUnit.NANOSECONDS.sleep(
            Math.min(until - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(STOP_LOOK_MILLIS)));
      }
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw stopping();
    }
    return Math.min(pause * 2, MAX_PAUSE_MILLIS);
  }

  /** The application is stopping: the broker redelivers the message to an instance that stays. */
  private static EJBException stopping() {
    return new EJBException("Stopping while the database is away; the broker will redeliver");
  }

  /**
   * The history did not store the notification: thrown again, so that the broker redelivers the
   * message after its back-off, unless the store refused it on every one of the allowed deliveries
   * ({@code waterspout.intake.max-attempts}): then it can never be stored (a value the database
   * refuses, a constraint or trigger an admin added), and it goes to the rejected queue with the
   * database's reason, rather than round and round and then to the dead-letter queue without one. A
   * database that cannot be reached fails every message alike, and none of them is rejected for it:
   * each delivery holds its message for up to {@link #UNREACHABLE_HOLD_NANOS} first (onMessage),
   * then they are redelivered with the broker's back-off, up to its own {@code
   * max-delivery-attempts} (with {@code server-config}'s settings, 10 deliveries over about four
   * minutes, then the dead-letter queue). Nor is one whose thread was interrupted, or that failed
   * while the application stops.
   */
  private void refused(Message message, Notification notification, RuntimeException e)
      throws JMSException {
    int delivery = deliveryCount(message);
    int allowed = settings.history().intakeMaxAttempts();
    if (Intake.unreachable(e)
        || delivery < allowed
        || Thread.currentThread().isInterrupted()
        || intake.stopping()) {
      throw e;
    }
    LOG.log(
        Level.WARNING,
        "Notification " + notification.id() + " was refused by the history " + delivery + " times",
        e);
    rejections.reject(message, "could not be stored after " + delivery + " attempts: " + reason(e));
  }

  /** The message's JMSXDeliveryCount (1 on the first delivery); 1 when the broker sets none. */
  private static int deliveryCount(Message message) throws JMSException {
    try {
      return Math.max(1, message.getIntProperty(DELIVERY_COUNT));
    } catch (NumberFormatException e) {
      return 1; // not set: JMS reads a missing property as null
    }
  }

  private static final String DELIVERY_COUNT = "JMSXDeliveryCount";

  /** The deepest message in {@code e}'s causes (the database's own words), on one line. */
  static String reason(Throwable e) {
    String reason = e.toString();
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
        reason = cause.getMessage();
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    String line = reason.strip().replaceAll("\\s+", " ");
    return line.length() > MAX_REASON_CHARS ? line.substring(0, MAX_REASON_CHARS) + "..." : line;
  }

  private static final int MAX_REASON_CHARS = 1000;

  /**
   * With the history off, pushes at once and takes the message whatever happens: a redelivery would
   * push it again to the sessions that already have it, and nothing could resume the others.
   */
  private void push(NotificationAccepted notification) {
    try {
      accepted.fire(notification);
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING, "Pushing notification " + notification.notification().id() + " failed", e);
    }
  }

  private Notification decode(Message message) throws JMSException, InvalidNotificationException {
    // STOMP producers leave JMSMessageID empty: such a message still gets a unique id.
    String jmsId = message.getJMSMessageID();
    String fallbackId = jmsId != null ? jmsId : "urn:uuid:" + UUID.randomUUID();
    long timestamp = message.getJMSTimestamp();
    Instant fallbackTime = timestamp > 0 ? Instant.ofEpochMilli(timestamp) : Instant.now();
    if (message instanceof TextMessage text) {
      return codec.decode(text.getText(), fallbackId, fallbackTime);
    }
    if (message instanceof BytesMessage bytes) {
      if (bytes.getBodyLength() > settings.maxMessageBytes()) {
        throw new InvalidNotificationException(
            "message too large: more than " + settings.maxMessageBytes() + " bytes");
      }
      byte[] body = new byte[(int) bytes.getBodyLength()];
      bytes.readBytes(body);
      return codec.decode(body, fallbackId, fallbackTime);
    }
    throw new InvalidNotificationException(
        "unsupported message type "
            + message.getClass().getSimpleName()
            + ": send a TextMessage holding JSON");
  }
}
