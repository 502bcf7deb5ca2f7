package org.waterspout.security;

import com.nimbusds.jose.jwk.JWK;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.util.List;
import java.util.logging.Logger;
import org.waterspout.config.ConfigKeys;
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
    List<JWK> publicKeys = VerificationKeys.read(settings.tokenPublicKeys());
    byte[] verifying = secret;
    if (secret == null) {
      secret = new byte[Settings.MIN_SECRET_BYTES];
      RANDOM.nextBytes(secret);
      if (settings.demoEnabled()) {
        verifying = secret;
        LOG.info(
            "Demo mode: tokens are signed with a random secret that lives as long as this run");
      } else {
        // Public keys only (StartupCheck refuses to deploy with neither): no HS256 token counts,
        // and SSE tickets are signed with this instance's own random key.
        LOG.info(
            "Tokens are verified with public keys only; SSE tickets are valid on the instance"
                + " that issued them (set "
                + ConfigKeys.TOKEN_SECRET
                + " for tickets any instance takes)");
      }
    }
    verifier =
        new TokenVerifier(
            VerificationKeys.of(verifying, publicKeys),
            settings.tokenIssuer().orElse(null),
            settings.tokenAudience().orElse(null));
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
