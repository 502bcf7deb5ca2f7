package org.waterspout.push;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;
import org.waterspout.admission.Admission;
import org.waterspout.admission.HandshakeFilter;
import org.waterspout.config.Settings;
import org.waterspout.delivery.DeliveryStats;
import org.waterspout.delivery.SessionRegistry;
import org.waterspout.history.Acks;
import org.waterspout.history.SignIns;
import org.waterspout.security.Identity;
import org.waterspout.security.InvalidTokenException;
import org.waterspout.security.TokenKeys;
import org.waterspout.timing.Timers;
import org.waterspout.timing.Workers;

/** The beans the HTTP transports (SSE, polling, acks, tickets) use, and their authentication. */
@ApplicationScoped
class HttpServices {

  @Inject Settings settings;
  @Inject TokenKeys tokens;
  @Inject SignInSequence signIn;
  @Inject Admission admission;
  @Inject Timers timers;
  @Inject Workers workers;
  @Inject GoingAway goingAway;
  @Inject DeliveryStats stats;
  @Inject Acks acks;
  @Inject SignIns signIns;
  @Inject SessionRegistry registry;

  // Methods, not fields: callers hold the bean's client proxy, whose own fields are empty.

  Settings settings() {
    return settings;
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

  DeliveryStats stats() {
    return stats;
  }

  Acks acks() {
    return acks;
  }

  SignIns signIns() {
    return signIns;
  }

  SessionRegistry registry() {
    return registry;
  }

  /** The identity of a request's {@code Authorization: Bearer <JWT>}. */
  Identity bearer(String authorization) throws InvalidTokenException {
    if (authorization == null || authorization.isBlank()) {
      throw new InvalidTokenException(
          "no token: send Authorization: Bearer <JWT>"
              + " (EventSource: ?ticket= from POST /waterspout/api/tickets)");
    }
    String value = authorization.strip();
    if (value.length() < 7 || !value.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
      throw new InvalidTokenException("Authorization must be: Bearer <JWT>");
    }
    return tokens.verifier().verify(value.substring(7).strip());
  }

  /**
   * A request that the handshake filter admitted became a client: it counts against the session
   * limit until {@link Admission#closed}.
   */
  void opened(HttpServletRequest request) {
    request.setAttribute(HandshakeFilter.OPENED, Boolean.TRUE);
    admission.opened();
  }
}
