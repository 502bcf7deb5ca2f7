package org.waterspout.ingest;

import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Queue;
import jakarta.jms.Topic;
import java.util.Optional;
import org.waterspout.history.ReplyAddress;
import org.waterspout.notification.InvalidNotificationException;
import org.waterspout.notification.Notification;

/** Reads where a message wants its receipt. */
final class ReplyAddresses {

  /** The history's limit for the reply destination's name and the correlation id. */
  static final int MAX_CHARS = 1000;

  private ReplyAddresses() {}

  /**
   * The message's {@code JMSReplyTo}, with its {@code JMSCorrelationID}, else its {@code
   * JMSMessageID}, else the notification id; empty when it wants no receipt.
   */
  static Optional<ReplyAddress> of(Message message, Notification notification)
      throws JMSException, InvalidNotificationException {
    Destination replyTo = message.getJMSReplyTo();
    if (replyTo == null) {
      return Optional.empty();
    }
    String correlation = message.getJMSCorrelationID();
    if (correlation == null || correlation.isEmpty()) {
      correlation = message.getJMSMessageID();
    }
    if (correlation == null || correlation.isEmpty()) {
      correlation = notification.id();
    }
    if (correlation.length() > MAX_CHARS) {
      throw new InvalidNotificationException(
          "JMSCorrelationID too long for a receipt: more than " + MAX_CHARS + " characters");
    }
    if (replyTo instanceof Queue queue) {
      return Optional.of(
          new ReplyAddress(ReplyAddress.Kind.QUEUE, name(queue.getQueueName()), correlation));
    }
    if (replyTo instanceof Topic topic) {
      return Optional.of(
          new ReplyAddress(ReplyAddress.Kind.TOPIC, name(topic.getTopicName()), correlation));
    }
    throw new InvalidNotificationException(
        "JMSReplyTo is neither a queue nor a topic: " + replyTo.getClass().getSimpleName());
  }

  private static String name(String name) throws InvalidNotificationException {
    if (name == null || name.isEmpty() || name.length() > MAX_CHARS) {
      throw new InvalidNotificationException(
          "JMSReplyTo needs a name of 1 to " + MAX_CHARS + " characters");
    }
    return name;
  }
}
