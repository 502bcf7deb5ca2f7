package org.waterspout.it.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.waterspout.security.TokenIssuer;

/** Tokens as the business web application would mint them, with the test server's secret. */
public final class Tokens {

  private static final byte[] SECRET =
      System.getProperty("waterspout.token.secret").getBytes(StandardCharsets.UTF_8);

  private Tokens() {}

  public static String valid(String user, String... groups) {
    return new TokenIssuer(SECRET)
        .issue(user, Set.of(groups), Instant.now(), Duration.ofMinutes(10));
  }

  /** A token whose exp lies {@code ago} in the past. */
  public static String expiredAgo(String user, Duration ago) {
    Instant exp = Instant.now().minus(ago);
    return new TokenIssuer(SECRET)
        .issue(user, Set.of(), exp.minusSeconds(60), Duration.ofSeconds(60));
  }

  public static String expired(String user) {
    return new TokenIssuer(SECRET)
        .issue(user, Set.of(), Instant.now().minus(Duration.ofHours(1)), Duration.ofMinutes(5));
  }

  /**
   * The issuer's key pairs (RSA {@code it-rsa}, EC {@code it-ec}) in {@code it-issuer.jwks.json},
   * which the test servers are given as {@code waterspout.token.public-keys}: they keep only the
   * public halves.
   */
  private static JWKSet issuerKeys() {
    try {
      return JWKSet.load(Path.of(System.getProperty("it.token.public-keys")).toFile());
    } catch (IOException | ParseException e) {
      throw new IllegalStateException("cannot read the test issuer's keys", e);
    }
  }

  /** A token signed as an issuer that publishes keys would: RS256 or ES256, with its kid. */
  public static String signed(
      JWSAlgorithm alg, String user, UnaryOperator<JWTClaimsSet.Builder> claims) {
    try {
      JWSSigner signer =
          alg.equals(JWSAlgorithm.ES256)
              ? new ECDSASigner(issuerKeys().getKeyByKeyId("it-ec").toECKey())
              : new RSASSASigner(issuerKeys().getKeyByKeyId("it-rsa").toRSAKey());
      return sign(alg, alg.equals(JWSAlgorithm.ES256) ? "it-ec" : "it-rsa", signer, user, claims);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** RS256 with a key of the same kid that is not the issuer's. */
  public static String signedWithAnotherKey(String user) {
    try {
      RSAKey other = new RSAKeyGenerator(2048).keyID("it-rsa").generate();
      return sign(JWSAlgorithm.RS256, "it-rsa", new RSASSASigner(other), user, b -> b);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The HS/RS confusion: HS256 "signed" with the issuer's public RSA key as the secret. */
  public static String confused(String user) {
    try {
      byte[] publicKey =
          issuerKeys().getKeyByKeyId("it-rsa").toRSAKey().toRSAPublicKey().getEncoded();
      return sign(JWSAlgorithm.HS256, "it-rsa", new MACSigner(publicKey), user, b -> b);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An unsigned token ({@code alg: none}). */
  public static String unsigned(String user) {
    return new PlainJWT(claims(user, b -> b)).serialize();
  }

  private static JWTClaimsSet claims(String user, UnaryOperator<JWTClaimsSet.Builder> claims) {
    Instant now = Instant.now();
    return claims
        .apply(
            new JWTClaimsSet.Builder()
                .subject(user)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(10)))))
        .build();
  }

  private static String sign(
      JWSAlgorithm alg,
      String kid,
      JWSSigner signer,
      String user,
      UnaryOperator<JWTClaimsSet.Builder> claims)
      throws JOSEException {
    SignedJWT jwt =
        new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).build(), claims(user, claims));
    jwt.sign(signer);
    return jwt.serialize();
  }

  public static String forged(String user) {
    byte[] other = "not-the-server-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    return new TokenIssuer(other).issue(user, Set.of(), Instant.now(), Duration.ofMinutes(10));
  }
}
