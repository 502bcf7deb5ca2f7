package org.waterspout.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenVerifierTest {

  private static final byte[] SECRET =
      "unit-test-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8);
  private static final byte[] OTHER =
      "another-secret-0123456789abcdef!!".getBytes(StandardCharsets.UTF_8);

  private final TokenVerifier verifier = new TokenVerifier(SECRET);
  private final Instant now = Instant.now();

  @Test
  void acceptsAValidTokenWithGroups() throws Exception {
    String token =
        new TokenIssuer(SECRET).issue("pro-42", Set.of("support"), now, Duration.ofHours(1));

    Identity identity = verifier.verify(token);

    assertEquals("pro-42", identity.user());
    assertEquals(Set.of("support"), identity.groups());
  }

  @Test
  void refusesATokenSignedWithAnotherSecret() {
    String forged = new TokenIssuer(OTHER).issue("pro-42", Set.of(), now, Duration.ofHours(1));

    var e = assertThrows(InvalidTokenException.class, () -> verifier.verify(forged));
    assertEquals("token signature or algorithm is invalid", e.getMessage());
  }

  @Test
  void refusesAnExpiredTokenBeyondTheClockSkew() {
    String expired =
        new TokenIssuer(SECRET)
            .issue("pro-42", Set.of(), now.minus(Duration.ofHours(2)), Duration.ofHours(1));

    var e = assertThrows(InvalidTokenException.class, () -> verifier.verify(expired));
    assertEquals("token has expired", e.getMessage());
  }

  @Test
  void refusesATokenWithoutExp() throws Exception {
    String token = sign(new JWTClaimsSet.Builder().subject("pro-42").build(), SECRET);

    var e = assertThrows(InvalidTokenException.class, () -> verifier.verify(token));
    assertEquals("token lacks a required claim (sub, exp)", e.getMessage());
  }

  @Test
  void refusesAnUnsignedToken() {
    String none =
        new PlainJWT(
                new PlainHeader(),
                new JWTClaimsSet.Builder()
                    .subject("pro-42")
                    .expirationTime(Date.from(now.plusSeconds(600)))
                    .build())
            .serialize();

    assertThrows(InvalidTokenException.class, () -> verifier.verify(none));
  }

  @Test
  void refusesGroupsThatAreNotStrings() throws Exception {
    String token =
        sign(
            new JWTClaimsSet.Builder()
                .subject("pro-42")
                .expirationTime(Date.from(now.plusSeconds(600)))
                .claim("groups", List.of(1, 2))
                .build(),
            SECRET);

    var e = assertThrows(InvalidTokenException.class, () -> verifier.verify(token));
    assertEquals("token claim 'groups' must be an array of strings", e.getMessage());
  }

  @Test
  void dropsGroupNamesNoMessageCouldAddressButKeepsTheUser() throws Exception {
    String token =
        sign(
            new JWTClaimsSet.Builder()
                .subject("pro-42")
                .expirationTime(Date.from(now.plusSeconds(600)))
                .claim("groups", List.of("support", "two words", ""))
                .build(),
            SECRET);

    assertEquals(Set.of("support"), verifier.verify(token).groups());
  }

  @Test
  void acceptsATokenJustPastExpWithinTheClockSkew() throws Exception {
    String token =
        new TokenIssuer(SECRET)
            .issue("pro-42", Set.of(), now.minusSeconds(70), Duration.ofSeconds(60));

    assertEquals("pro-42", verifier.verify(token).user());
  }

  @Test
  void refusesGarbageAndMissingTokens() {
    assertThrows(InvalidTokenException.class, () -> verifier.verify("not.a.jwt"));
    assertThrows(InvalidTokenException.class, () -> verifier.verify(""));
    assertThrows(InvalidTokenException.class, () -> verifier.verify(null));
  }

  @Test
  void refusesATokenWhoseHeaderIsJsonNull() {
    // "null" as the header: the JOSE parser throws NullPointerException (found by the fuzzer).
    String token = "bnVsbA.eyJzdWIiOiJwcm8tNDIifQ.c2ln";

    var e = assertThrows(InvalidTokenException.class, () -> verifier.verify(token));
    assertEquals("token is not a signed JWT", e.getMessage());
  }

  private static String sign(JWTClaimsSet claims, byte[] secret) throws Exception {
    var jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    jwt.sign(new MACSigner(secret));
    return jwt.serialize();
  }
}
