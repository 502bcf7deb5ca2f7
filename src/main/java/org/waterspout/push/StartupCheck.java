package org.waterspout.push;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.Extension;
import java.util.List;
import java.util.logging.Logger;
import org.waterspout.config.Settings;
import org.waterspout.config.SettingsProducer;

/**
 * Refuses to deploy WaterSpout when its endpoint could not authenticate anyone, for example with no
 * token secret outside demo mode: a CDI deployment problem, reported as one SEVERE line. Payara
 * activates the message-driven bean a moment before this fails the deployment, so the bean itself
 * rolls back while misconfigured (see NotificationListener): messages wait in the queue until an
 * admin fixes the configuration.
 */
public class StartupCheck implements Extension {

  private static final Logger LOG = Logger.getLogger(StartupCheck.class.getName());

  void check(@Observes AfterDeploymentValidation validation) {
    Settings settings = SettingsProducer.current();
    List<String> problems = settings.problems();
    if (!problems.isEmpty()) {
      String message =
          "WaterSpout refuses to start its WebSocket endpoint: " + String.join("; ", problems);
      LOG.severe(message);
      validation.addDeploymentProblem(new IllegalStateException(message));
      return;
    }
    if (settings.demoEnabled()) {
      LOG.warning(
          "Demo mode is on: /api/demo mints tokens and sends notifications for requests from this"
              + " machine. Never enable waterspout.demo.enabled in production.");
      if (settings.tokenSecret().isPresent() && settings.usableSecret().isEmpty()) {
        LOG.warning(
            "The configured token secret is shorter than the "
                + Settings.MIN_SECRET_BYTES
                + " bytes HS256 needs: demo mode ignores it and signs with a random secret, so"
                + " tokens signed with the configured one are refused");
      }
    }
  }
}
