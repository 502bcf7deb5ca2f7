package org.waterspout.security;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.util.logging.Logger;
import org.waterspout.config.Settings;

/**
 * Holds the token secret of this deployment: the configured one, or in demo mode without one, a
 * random secret that lives as long as the deployment (demo tokens then die with it).
 */
@ApplicationScoped
public class TokenKeys {

  private static final Logger LOG = Logger.getLogger(TokenKeys.class.getName());
  private static final SecureRandom RANDOM = new SecureRandom();

  @Inject Settings settings;

  private TokenVerifier verifier;
  private TokenIssuer issuer;
  private Tickets tickets;

  @PostConstruct
  void init() {
    byte[] secret = settings.usableSecret().orElse(null);
    if (secret == null) {
      // Only in demo mode: StartupCheck refuses to deploy otherwise.
      secret = new byte[Settings.MIN_SECRET_BYTES];
      RANDOM.nextBytes(secret);
      LOG.info("Demo mode: tokens are signed with a random secret that lives as long as this run");
    }
    verifier = new TokenVerifier(secret);
    issuer = new TokenIssuer(secret);
    tickets = new Tickets(secret);
  }

  public TokenVerifier verifier() {
    return verifier;
  }

  /** The one-time tickets of clients that cannot send a token in a header (SSE). */
  public Tickets tickets() {
    return tickets;
  }

  /** Only the demo may use this; production tokens come from the business application. */
  public TokenIssuer issuer() {
    return issuer;
  }
}
