package org.waterspout.admin;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.waterspout.config.JndiNames;

/**
 * Ready when the broker answers for the input queue. Opening a browser on the queue is a round trip
 * to the broker, so a pooled connection to a broker that has gone away does not pass for a live
 * one; nothing is consumed.
 *
 * <p>Created when the application starts: WildFly runs health checks on its management threads,
 * where the application's {@code java:comp/env} names cannot be looked up, so the resources must be
 * injected before.
 */
@Readiness
@ApplicationScoped
public class BrokerReadiness implements HealthCheck {

  @Resource(lookup = JndiNames.CONNECTION_FACTORY_REF)
  ConnectionFactory connectionFactory;

  @Resource(name = JndiNames.NOTIFICATIONS_QUEUE)
  Queue notifications;

  void started(@Observes @Initialized(ApplicationScoped.class) Object event) {
    // Nothing to do: observing makes CDI create this bean, and inject it, at start-up.
  }

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder response = HealthCheckResponse.named("waterspout-broker");
    try (JMSContext context = connectionFactory.createContext();
        QueueBrowser browser = context.createBrowser(notifications)) {
      boolean backlog = browser.getEnumeration().hasMoreElements();
      return response
          .up()
          .withData("queue", notifications.getQueueName())
          .withData("messagesWaiting", backlog)
          .build();
    } catch (JMSRuntimeException | jakarta.jms.JMSException e) {
      return response.down().withData("error", String.valueOf(e.getMessage())).build();
    } catch (RuntimeException e) {
      // A health check answers; it never throws (the server would report the check nameless).
      return response.down().withData("error", e.toString()).build();
    }
  }
}
