package org.waterspout.config;

/**
 * Names of the JMS and JDBC resources WaterSpout uses. The application refers to them through
 * resource references ({@code java:comp/env/...}) that each server maps to the resources its admin
 * created: {@code war-overlay/<server>/WEB-INF} holds the mapping.
 */
public final class JndiNames {

  /**
   * Connection factory for sending (rejections, receipts, demo messages); XA, so a send joins the
   * transaction around it.
   */
  public static final String CONNECTION_FACTORY = "jms/waterspout/ConnectionFactory";

  /**
   * The connection factory's resource reference, for {@code @Resource(lookup = ...)}. Injected by
   * {@code lookup}, not by {@code name}: for {@code @Resource(name = ...)} of a connection factory
   * WildFly binds its default JMS connection factory and ignores what the descriptors map the
   * reference to (the default one, {@code java:/JmsXA}, cannot send receipts to a temporary reply
   * queue: it puts {@code jms.queue.} in front of the queue's name).
   */
  public static final String CONNECTION_FACTORY_REF = "java:comp/env/" + CONNECTION_FACTORY;

  /** The input queue the order system sends to; the MDB reads it. */
  public static final String NOTIFICATIONS_QUEUE = "jms/waterspout/notifications";

  /**
   * The fan-out topic: every instance publishes the notifications it numbered there, and pushes
   * those of the others to its own sessions (a non-durable subscription per instance).
   */
  public static final String FANOUT_TOPIC = "jms/waterspout/fanout";

  /** Where messages that break the contract go, with the reason in a property. */
  public static final String REJECTED_QUEUE = "jms/waterspout/rejected";

  private JndiNames() {}
}
