package org.waterspout.push;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.logging.Logger;
import org.waterspout.config.Settings;

/**
 * Refuses to start WaterSpout when its endpoint could not authenticate anyone, for example with no
 * token secret outside demo mode. Failing the deployment, rather than only leaving the endpoint
 * out, keeps the message-driven bean from consuming notifications nobody could receive: they wait
 * in the queue until an admin fixes the configuration.
 */
@ApplicationScoped
public class StartupCheck {

  private static final Logger LOG = Logger.getLogger(StartupCheck.class.getName());

  @Inject Settings settings;

  void check(@Observes @Initialized(ApplicationScoped.class) Object started) {
    List<String> problems = settings.problems();
    if (!problems.isEmpty()) {
      String message =
          "WaterSpout refuses to start its WebSocket endpoint: " + String.join("; ", problems);
      LOG.severe(message);
      throw new IllegalStateException(message);
    }
    if (settings.demoEnabled()) {
      LOG.warning(
          "Demo mode is on: anyone who reaches /api/demo can mint tokens and send notifications."
              + " Never enable waterspout.demo.enabled in production.");
    }
  }
}
