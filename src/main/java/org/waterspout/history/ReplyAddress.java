package org.waterspout.history;

import java.util.Objects;

/**
 * Where the order system wants a notification's receipt: its message's {@code JMSReplyTo}, and the
 * correlation id the receipt carries.
 *
 * @param kind queue or topic
 * @param name the destination's name
 * @param correlationId the message's {@code JMSCorrelationID}, or else its {@code JMSMessageID}
 */
public record ReplyAddress(Kind kind, String name, String correlationId) {

  /** The kind of destination. */
  public enum Kind {
    QUEUE,
    TOPIC
  }

  public ReplyAddress {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(correlationId, "correlationId");
  }
}
