package org.waterspout.push;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.waterspout.admission.Admission;
import org.waterspout.config.Settings;
import org.waterspout.delivery.SessionRegistry;
import org.waterspout.security.Defences;
import org.waterspout.security.TokenKeys;
import org.waterspout.timing.Timers;
import org.waterspout.timing.Workers;

/**
 * The application's beans that every socket's endpoint uses, injected once here. The container
 * makes one endpoint instance per WebSocket session, and Weld builds an instance's injection point
 * metadata anew for each: on Payara, about 200 bytes per injected field and session (class
 * histograms at 3,000 idle sessions: ten {@code FieldInjectionPoint}s and their attributes per
 * session, one per field). One field costs that once per session, instead of six.
 */
@ApplicationScoped
class SocketServices {

  @Inject Settings settings;
  @Inject SessionRegistry registry;
  @Inject TokenKeys tokens;
  @Inject SignInSequence signIn;
  @Inject Admission admission;
  @Inject Timers timers;
  @Inject Workers workers;
  @Inject GoingAway goingAway;
  @Inject Defences defences;

  // Methods, not fields: callers hold the bean's client proxy, whose own fields are empty.

  Settings settings() {
    return settings;
  }

  SessionRegistry registry() {
    return registry;
  }

  TokenKeys tokens() {
    return tokens;
  }

  SignInSequence signIn() {
    return signIn;
  }

  Admission admission() {
    return admission;
  }

  Timers timers() {
    return timers;
  }

  Workers workers() {
    return workers;
  }

  GoingAway goingAway() {
    return goingAway;
  }

  Defences defences() {
    return defences;
  }
}
