package org.waterspout.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
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
 * Verifies client tokens: a JWT with {@code sub}, a required {@code exp} and optional {@code
 * groups}, signed with HS256 and the shared secret, or with RS256 or ES256 and one of the issuer's
 * public keys (from a PEM file or a JWKS file: {@link VerificationKeys}). Each algorithm is tried
 * only with keys of its own type, so an HS256 token "signed" with a public key as its secret (the
 * HS/RS confusion) finds no key; {@code none} and every other algorithm are refused. {@code nbf} is
 * honoured when present; {@code iss} and {@code aud} are required when configured.
 */
public final class TokenVerifier {

  /** Tolerated clock difference between the token issuer and this server. */
  public static final int CLOCK_SKEW_SECONDS = 30;

  private static final Logger LOG = Logger.getLogger(TokenVerifier.class.getName());

  private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

  public TokenVerifier(byte[] secret) {
    this(VerificationKeys.of(secret, List.of()), null, null);
  }

  /**
   * @param keys the secret and public keys tokens may be signed with
   * @param issuer the {@code iss} every token must name, or null for any
   * @param audience the {@code aud} every token must include, or null for any
   */
  public TokenVerifier(VerificationKeys keys, String issuer, String audience) {
    if (keys.algorithms().isEmpty()) {
      throw new IllegalArgumentException("no key to verify tokens with");
    }
    processor.setJWSKeySelector(
        new JWSVerificationKeySelector<>(keys.algorithms(), new ImmutableJWKSet<>(keys.set())));
    JWTClaimsSet exact =
        issuer == null
            ? new JWTClaimsSet.Builder().build()
            : new JWTClaimsSet.Builder().issuer(issuer).build();
    Set<String> required = new LinkedHashSet<>(List.of("sub", "exp"));
    if (audience != null) {
      required.add("aud");
    }
    var claims = new DefaultJWTClaimsVerifier<>(audience, exact, required);
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
    } catch (RuntimeException e) {
      // The JOSE parser's own slips on input it did not expect: a header that is JSON null (found
      // by the fuzzer) throws NullPointerException. Not a token, whatever the parser thought.
      throw new InvalidTokenException("token is not a signed JWT");
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
    if (message.contains("before use time")) {
      return "token is not valid yet (nbf)";
    }
    if (message.contains("audience")) {
      return "token audience is not accepted";
    }
    if (message.contains("missing required claims")) {
      // "JWT missing required claims: [iss]": the configured issuer, which the token lacks.
      String missing = message.substring(message.indexOf("claims") + "claims".length());
      return missing.contains("sub") || missing.contains("exp")
          ? "token lacks a required claim (sub, exp)"
          : "token issuer is not accepted";
    }
    if (message.contains("iss claim")) {
      return "token issuer is not accepted";
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
