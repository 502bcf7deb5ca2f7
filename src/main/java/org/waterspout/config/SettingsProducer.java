package org.waterspout.config;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Makes {@link Settings} injectable. They are read once per deployment: a changed setting takes
 * effect on redeploy or restart, as the README says.
 */
@ApplicationScoped
public class SettingsProducer {

  private Settings settings;

  @PostConstruct
  void read() {
    settings = current();
  }

  // Dependent: a record cannot be proxied, and every injection point gets the same instance.
  @Produces
  Settings settings() {
    return settings;
  }

  /** The settings as MicroProfile Config has them now; also for code that CDI does not create. */
  public static Settings current() {
    var config = ConfigProvider.getConfig();
    return Settings.from(key -> config.getOptionalValue(key, String.class));
  }
}
