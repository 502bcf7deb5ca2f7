package org.waterspout.admin;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while the WebSocket endpoint takes connections: from the end of start-up until the
 * application begins to stop, so a load balancer sends no new browsers to an instance going down.
 */
@Readiness
@ApplicationScoped
public class EndpointReadiness implements HealthCheck {

  @Inject Administration administration;

  private volatile boolean open;

  void started(@Observes @Initialized(ApplicationScoped.class) Object event) {
    open = true;
  }

  void stopping(@Observes @BeforeDestroyed(ApplicationScoped.class) Object event) {
    open = false;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("waterspout-websocket")
        .status(open)
        .withData("path", "/ws")
        .withData("openSessions", administration.openSessions())
        .build();
  }
}
