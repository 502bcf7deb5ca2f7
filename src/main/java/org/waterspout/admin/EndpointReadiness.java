package org.waterspout.admin;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.waterspout.admission.Admission;
import org.waterspout.admission.Refusal;

/**
 * Ready while the WebSocket endpoint takes connections: from the end of start-up until the
 * application begins to stop (its CDI context ending, or the shutdown hook of {@code GoingAway}
 * before that), so a load balancer sends no new browsers to an instance going down; and not while
 * the instance refuses handshakes at its session limit or above its heap watermark ("at capacity"),
 * so the load balancer steers new browsers elsewhere. Liveness is not affected: the sessions it
 * holds are served as ever.
 */
@Readiness
@ApplicationScoped
public class EndpointReadiness implements HealthCheck {

  @Inject Administration administration;
  @Inject Admission admission;

  private volatile boolean open;

  void started(@Observes @Initialized(ApplicationScoped.class) Object event) {
    open = true;
  }

  void stopping(@Observes @BeforeDestroyed(ApplicationScoped.class) Object event) {
    open = false;
  }

  @Override
  public HealthCheckResponse call() {
    Admission.Figures figures = admission.figures();
    Optional<Refusal> full = admission.atCapacity();
    HealthCheckResponseBuilder response =
        HealthCheckResponse.named("waterspout-websocket")
            .status(open && !admission.stopping() && full.isEmpty())
            .withData("path", "/ws")
            .withData("openSessions", administration.openSessions())
            .withData("sessions", figures.sessions())
            .withData("maxSessions", figures.maxSessions());
    full.ifPresent(reason -> response.withData("reason", atCapacity(reason, figures)));
    return response.build();
  }

  private static String atCapacity(Refusal reason, Admission.Figures figures) {
    return reason == Refusal.HEAP
        ? "at capacity: heap "
            + figures.heapPercent()
            + "% used after collection, watermark "
            + figures.heapWatermarkPercent()
            + "%"
        : "at capacity: " + figures.sessions() + " of " + figures.maxSessions() + " sessions";
  }
}
