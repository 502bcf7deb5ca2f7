package org.waterspout.config;

/**
 * Names of the JMS and JDBC resources WaterSpout uses. The application refers to them through
 * resource references ({@code java:comp/env/...}) that each server maps to the resources its admin
 * created: {@code war-overlay/<server>/WEB-INF} holds the mapping.
 */
public final class JndiNames {

  /** Connection factory for sending (rejections, demo messages); XA so it joins the MDB's tx. */
  public static final String CONNECTION_FACTORY = "jms/waterspout/ConnectionFactory";

  /** The input queue the order system sends to; the MDB reads it. */
  public static final String NOTIFICATIONS_QUEUE = "jms/waterspout/notifications";

  /** Where messages that break the contract go, with the reason in a property. */
  public static final String REJECTED_QUEUE = "jms/waterspout/rejected";

  private JndiNames() {}
}
