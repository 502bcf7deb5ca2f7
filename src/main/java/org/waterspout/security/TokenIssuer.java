package org.waterspout.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * Mints client tokens. In production the business web application does this with the shared secret;
 * WaterSpout itself only mints them in demo mode.
 */
public final class TokenIssuer {

  private final MACSigner signer;

  public TokenIssuer(byte[] secret) {
    try {
      signer = new MACSigner(secret);
    } catch (JOSEException e) {
      throw new IllegalArgumentException("secret unusable for HS256: " + e.getMessage(), e);
    }
  }

  /** A token for {@code user} in {@code groups}, valid for {@code lifetime} from {@code now}. */
  public String issue(String user, Set<String> groups, Instant now, Duration lifetime) {
    var claims =
        new JWTClaimsSet.Builder()
            .subject(user)
            .claim("groups", List.copyOf(groups))
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(lifetime)))
            .build();
    var jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("signing failed", e);
    }
    return jwt.serialize();
  }
}
