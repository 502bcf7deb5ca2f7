package org.waterspout.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.text.ParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;
import org.waterspout.notification.RecipientNames;

/**
 * Verifies client tokens: an HS256-signed JWT with {@code sub}, a required {@code exp} and optional
 * {@code groups}. Any other algorithm (including {@code none}) is refused.
 */
public final class TokenVerifier {

  /** Tolerated clock difference between the token issuer and this server. */
  public static final int CLOCK_SKEW_SECONDS = 30;

  private static final Logger LOG = Logger.getLogger(TokenVerifier.class.getName());

  private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

  public TokenVerifier(byte[] secret) {
    processor.setJWSKeySelector(
        new JWSVerificationKeySelector<>(JWSAlgorithm.HS256, new ImmutableSecret<>(secret)));
    var claims = new DefaultJWTClaimsVerifier<>(null, Set.of("sub", "exp"));
    claims.setMaxClockSkew(CLOCK_SKEW_SECONDS);
    processor.setJWTClaimsSetVerifier(claims);
  }

  /** Returns who the token names, or says why it does not count. */
  public Identity verify(String token) throws InvalidTokenException {
    if (token == null || token.isBlank()) {
      throw new InvalidTokenException("token is missing");
    }
    JWTClaimsSet claims;
    try {
      claims = processor.process(token, null);
    } catch (ParseException e) {
      throw new InvalidTokenException("token is not a signed JWT");
    } catch (BadJWTException e) {
      throw new InvalidTokenException(claimsProblem(e));
    } catch (BadJOSEException | JOSEException e) {
      throw new InvalidTokenException("token signature or algorithm is invalid");
    }
    String user = claims.getSubject();
    if (!RecipientNames.isValid(user)) {
      throw new InvalidTokenException("token subject is not a valid user id");
    }
    return new Identity(user, groups(claims), claims.getExpirationTime().toInstant());
  }

  private static String claimsProblem(BadJWTException e) {
    String message = String.valueOf(e.getMessage());
    if (message.contains("xpired")) {
      return "token has expired";
    }
    if (message.contains("missing required claims")) {
      return "token lacks a required claim (sub, exp)";
    }
    return "token claims are invalid";
  }

  private static Set<String> groups(JWTClaimsSet claims) throws InvalidTokenException {
    List<String> groups;
    try {
      groups = claims.getStringListClaim("groups");
    } catch (ParseException e) {
      throw new InvalidTokenException("token claim 'groups' must be an array of strings");
    }
    if (groups == null) {
      return Set.of();
    }
    // A name that no message can address (white space, say) cannot matter for routing: it is
    // dropped rather than locking the user out.
    List<String> usable = groups.stream().filter(RecipientNames::isValid).toList();
    int dropped = groups.size() - usable.size();
    if (dropped > 0) {
      LOG.fine(() -> "Ignoring " + dropped + " unusable group name(s) in a token");
    }
    return new LinkedHashSet<>(usable);
  }
}
