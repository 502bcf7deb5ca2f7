package org.waterspout.ingest;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.jms.BytesMessage;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.Queue;
import jakarta.jms.TextMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.logging.Logger;
import org.waterspout.config.JndiNames;
import org.waterspout.notification.MessageRejected;

/**
 * Moves a message that breaks the contract to the rejected queue: its body and properties, plus why
 * it was rejected. Sent, outside a transaction, before the message is acknowledged: the broker
 * never redelivers a rejected message, and nothing is lost. Should the server die between the two,
 * the redelivered message is rejected again, and Artemis' duplicate detection ({@link
 * #DUPLICATE_ID}: the original's JMSMessageID and timestamp) quietly drops the second copy; in a
 * transaction, a duplicate would fail the commit instead. A message without a JMSMessageID (STOMP)
 * has no such key, and could then be rejected twice.
 */
@ApplicationScoped
public class Rejections {

  /** JMS property on a rejected message: why WaterSpout rejected it. */
  public static final String REASON = "WaterSpoutRejectReason";

  /** JMS property on a rejected message: the JMSMessageID it had on the input queue. */
  public static final String ORIGINAL_ID = "WaterSpoutOriginalMessageID";

  /** JMS property on a rejected message: properties that JMS could not carry over, by name. */
  public static final String SKIPPED_PROPERTIES = "WaterSpoutSkippedProperties";

  /** JMS property on a rejected message: when it was rejected (ISO-8601). */
  public static final String REJECTED_AT = "WaterSpoutRejectedAt";

  /**
   * Artemis' duplicate detection property: a second message with the same value on the rejected
   * queue's address is dropped by the broker. Other brokers keep it as a plain property.
   */
  static final String DUPLICATE_ID = "_AMQ_DUPL_ID";

  private static final Logger LOG = Logger.getLogger(Rejections.class.getName());

  @Resource(lookup = JndiNames.CONNECTION_FACTORY_REF)
  ConnectionFactory connectionFactory;

  @Resource(name = JndiNames.REJECTED_QUEUE)
  Queue rejectedQueue;

  @Inject Event<MessageRejected> rejected;

  /** Moves {@code original} to the rejected queue with {@code reason}, and logs it once. */
  public void reject(Message original, String reason) throws JMSException {
    try (JMSContext context = connectionFactory.createContext()) {
      Message copy = copyBody(context, original);
      List<String> skipped = copyProperties(original, copy);
      if (!skipped.isEmpty()) {
        copy.setStringProperty(SKIPPED_PROPERTIES, String.join(",", skipped));
      }
      copy.setJMSCorrelationID(original.getJMSCorrelationID());
      copy.setStringProperty(REASON, reason);
      copy.setStringProperty(ORIGINAL_ID, original.getJMSMessageID());
      if (original.getJMSMessageID() != null) {
        // With the timestamp: a producer that reuses its message ids does not lose a rejection.
        copy.setStringProperty(
            DUPLICATE_ID,
            "rejected:" + original.getJMSMessageID() + ":" + original.getJMSTimestamp());
      }
      copy.setStringProperty(REJECTED_AT, Instant.now().toString());
      context.createProducer().send(rejectedQueue, copy);
    }
    rejected.fire(new MessageRejected(messageId(original), reason));
    LOG.warning(
        () ->
            "Rejected message "
                + messageId(original)
                + ": "
                + reason
                + " (moved to the rejected queue with property "
                + REASON
                + ")");
  }

  /**
   * Copies the properties a JMS message may carry. STOMP and AMQP headers such as {@code
   * content-type} arrive as properties whose names are not Java identifiers, which JMS refuses to
   * set: those are skipped and named, so that a rejection never fails on them.
   */
  private static List<String> copyProperties(Message original, Message copy) throws JMSException {
    List<String> skipped = new ArrayList<>();
    for (String name : Collections.list(propertyNames(original))) {
      if (name.startsWith("JMSX")) {
        continue;
      }
      try {
        copy.setObjectProperty(name, original.getObjectProperty(name));
      } catch (JMSException | JMSRuntimeException | IllegalArgumentException e) {
        skipped.add(name);
      }
    }
    return skipped;
  }

  private static Message copyBody(JMSContext context, Message original) throws JMSException {
    if (original instanceof TextMessage text) {
      return context.createTextMessage(text.getText());
    }
    if (original instanceof BytesMessage bytes) {
      bytes.reset();
      byte[] body = new byte[(int) bytes.getBodyLength()];
      bytes.readBytes(body);
      BytesMessage copy = context.createBytesMessage();
      copy.writeBytes(body);
      return copy;
    }
    if (original instanceof MapMessage map) {
      MapMessage copy = context.createMapMessage();
      for (String name : Collections.list(mapNames(map))) {
        copy.setObject(name, map.getObject(name));
      }
      return copy;
    }
    // Object and stream bodies are not copied: deserializing an unknown ObjectMessage is unsafe.
    return context.createMessage();
  }

  @SuppressWarnings("unchecked")
  private static java.util.Enumeration<String> propertyNames(Message message) throws JMSException {
    return message.getPropertyNames();
  }

  @SuppressWarnings("unchecked")
  private static java.util.Enumeration<String> mapNames(MapMessage message) throws JMSException {
    return message.getMapNames();
  }

  private static String messageId(Message message) {
    try {
      return message.getJMSMessageID();
    } catch (JMSException e) {
      return "(no id)";
    }
  }
}
