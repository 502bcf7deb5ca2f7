package org.waterspout.it.support;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.Queue;
import java.util.UUID;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/** Plays the order system: sends messages to the broker with Artemis' own JMS client (CORE). */
public final class OrderSystem implements AutoCloseable {

  public static final String INPUT = "waterspout.notifications";
  public static final String REJECTED = "waterspout.rejected";

  /** A property every test message carries, so a test finds its own rejected messages. */
  public static final String CASE = "itCase";

  private final ConnectionFactory factory =
      new ActiveMQConnectionFactory(System.getProperty("broker.url", "tcp://localhost:61616"));
  private final JMSContext context = factory.createContext();
  private final Queue input = context.createQueue(INPUT);

  /** A fresh value for {@link #CASE}. */
  public static String newCase() {
    return UUID.randomUUID().toString();
  }

  public String sendText(String body, String testCase) throws Exception {
    Message message = context.createTextMessage(body);
    return send(message, testCase);
  }

  public String sendBytes(byte[] body, String testCase) throws Exception {
    var message = context.createBytesMessage();
    message.writeBytes(body);
    return send(message, testCase);
  }

  public String send(Message message, String testCase) throws Exception {
    message.setStringProperty(CASE, testCase);
    context.createProducer().send(input, message);
    return message.getJMSMessageID();
  }

  public JMSContext context() {
    return context;
  }

  /** The rejected copy of this test case's message, waiting up to the given time. */
  public Message rejected(String testCase, long timeoutMillis) {
    try (var consumer =
        context.createConsumer(context.createQueue(REJECTED), CASE + " = '" + testCase + "'")) {
      return consumer.receive(timeoutMillis);
    }
  }

  /** A notification message addressed to users, with the given id. */
  public static String notificationFor(String id, String... users) {
    return MessageBody.ofType("work-order.routed")
        .id(id)
        .users(users)
        .field("title", "New work order")
        .field("body", "Leak repair")
        .data("workOrderId", 1001)
        .json();
  }

  @Override
  public void close() {
    context.close();
  }
}
