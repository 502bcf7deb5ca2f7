package org.waterspout.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RS256 and ES256 tokens, the issuer's keys read from PEM and JWKS files, nbf, iss and aud. */
class TokenAlgorithmsTest {

  private static final byte[] SECRET =
      "unit-test-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8);

  private static final RSAKey RSA =
      generate(() -> new RSAKeyGenerator(2048).keyID("rsa-1").generate());
  private static final ECKey EC =
      generate(() -> new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate());
  private static final RSAKey OTHER_RSA =
      generate(() -> new RSAKeyGenerator(2048).keyID("rsa-1").generate());

  interface Maker<T> {
    T make() throws Exception;
  }

  private static <T> T generate(Maker<T> maker) {
    try {
      return maker.make();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String sign(
      JWSAlgorithm alg, String kid, JWSSigner signer, UnaryOperator<JWTClaimsSet.Builder> claims)
      throws Exception {
    Instant now = Instant.now();
    JWTClaimsSet.Builder builder =
        new JWTClaimsSet.Builder()
            .subject("pro-42")
            .expirationTime(Date.from(now.plusSeconds(600)));
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(alg).keyID(kid).type(JOSEObjectType.JWT).build(),
            claims.apply(builder).build());
    jwt.sign(signer);
    return jwt.serialize();
  }

  private static String rs256(UnaryOperator<JWTClaimsSet.Builder> claims) throws Exception {
    return sign(JWSAlgorithm.RS256, "rsa-1", new RSASSASigner(RSA), claims);
  }

  private static TokenVerifier verifier(String issuer, String audience) {
    return new TokenVerifier(VerificationKeys.of(SECRET, List.of(RSA, EC)), issuer, audience);
  }

  private static String problem(TokenVerifier verifier, String token) {
    return assertThrows(InvalidTokenException.class, () -> verifier.verify(token)).getMessage();
  }

  @Test
  void rs256Es256AndHs256TokensEachVerifyWithTheirKey() throws Exception {
    TokenVerifier verifier = verifier(null, null);
    assertEquals("pro-42", verifier.verify(rs256(b -> b)).user());
    assertEquals(
        "pro-42",
        verifier.verify(sign(JWSAlgorithm.ES256, "ec-1", new ECDSASigner(EC), b -> b)).user());
    assertEquals(
        "pro-42",
        verifier.verify(sign(JWSAlgorithm.HS256, null, new MACSigner(SECRET), b -> b)).user());
    // Without a kid the key is found by its type.
    assertEquals(
        "pro-42",
        verifier.verify(sign(JWSAlgorithm.RS256, null, new RSASSASigner(RSA), b -> b)).user());
  }

  @Test
  void aTokenSignedWithAnotherKeyOrNamingAnUnknownKidIsRefused() throws Exception {
    TokenVerifier verifier = verifier(null, null);
    String invalid = "token signature or algorithm is invalid";
    assertEquals(
        invalid,
        problem(verifier, sign(JWSAlgorithm.RS256, "rsa-1", new RSASSASigner(OTHER_RSA), b -> b)));
    assertEquals(
        invalid,
        problem(verifier, sign(JWSAlgorithm.RS256, "rsa-9", new RSASSASigner(RSA), b -> b)));
    // RS384 and PS256 are not among the accepted algorithms, whatever the key.
    assertEquals(
        invalid,
        problem(verifier, sign(JWSAlgorithm.RS384, "rsa-1", new RSASSASigner(RSA), b -> b)));
    assertEquals(
        invalid,
        problem(verifier, sign(JWSAlgorithm.PS256, "rsa-1", new RSASSASigner(RSA), b -> b)));
  }

  @Test
  void anHs256TokenMacedWithThePublicKeyIsRefused() throws Exception {
    // The HS/RS confusion: the attacker uses the published public key as the HMAC secret.
    byte[] publicKey = RSA.toRSAPublicKey().getEncoded();
    byte[] pem =
        ("-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(publicKey)
                + "\n-----END PUBLIC KEY-----\n")
            .getBytes(StandardCharsets.US_ASCII);
    TokenVerifier rsaOnly = new TokenVerifier(VerificationKeys.of(null, List.of(RSA)), null, null);
    for (byte[] key : List.of(publicKey, pem)) {
      String confused = sign(JWSAlgorithm.HS256, "rsa-1", new MACSigner(key), b -> b);
      assertEquals("token signature or algorithm is invalid", problem(rsaOnly, confused));
      assertEquals(
          "token signature or algorithm is invalid", problem(verifier(null, null), confused));
    }
  }

  @Test
  void notBeforeIssuerAndAudienceAreChecked() throws Exception {
    Date later = Date.from(Instant.now().plusSeconds(300));
    assertEquals(
        "token is not valid yet (nbf)",
        problem(verifier(null, null), rs256(b -> b.notBeforeTime(later))));
    Date past = Date.from(Instant.now().minusSeconds(5));
    assertEquals("pro-42", verifier(null, null).verify(rs256(b -> b.notBeforeTime(past))).user());

    TokenVerifier strict = verifier("https://orders.example.com", "waterspout");
    assertEquals(
        "pro-42",
        strict
            .verify(
                rs256(
                    b ->
                        b.issuer("https://orders.example.com")
                            .audience(List.of("other", "waterspout"))))
            .user());
    assertEquals(
        "token issuer is not accepted",
        problem(strict, rs256(b -> b.issuer("https://evil.example").audience("waterspout"))));
    assertEquals(
        "token issuer is not accepted", problem(strict, rs256(b -> b.audience("waterspout"))));
    assertEquals(
        "token audience is not accepted",
        problem(strict, rs256(b -> b.issuer("https://orders.example.com").audience("billing"))));
    assertEquals(
        "token audience is not accepted",
        problem(strict, rs256(b -> b.issuer("https://orders.example.com"))));
  }

  @Test
  void publicKeysAreReadFromPemAndJwksFiles(@TempDir Path dir) throws Exception {
    Path pem = dir.resolve("issuer.pem");
    Files.writeString(
        pem,
        "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(EC.toECPublicKey().getEncoded())
            + "\n-----END PUBLIC KEY-----\n");
    Path jwks = dir.resolve("issuer.jwks.json");
    // With the private part, as a careless copy would have it: only the public part is kept.
    Files.writeString(jwks, new JWKSet(List.<JWK>of(RSA)).toString(false));
    List<JWK> keys = VerificationKeys.read(List.of(pem, jwks));
    VerificationKeys read = VerificationKeys.of(null, keys);
    read.set().getKeys().forEach(k -> assertEquals(false, k.isPrivate(), k::toString));
    TokenVerifier verifier = new TokenVerifier(read, null, null);
    assertEquals("pro-42", verifier.verify(rs256(b -> b)).user());
    assertEquals(
        "pro-42",
        verifier.verify(sign(JWSAlgorithm.ES256, null, new ECDSASigner(EC), b -> b)).user());
    assertEquals(
        "token signature or algorithm is invalid",
        problem(verifier, sign(JWSAlgorithm.HS256, null, new MACSigner(SECRET), b -> b)));

    Path garbage = dir.resolve("garbage.pem");
    Files.writeString(garbage, "not a key");
    assertThrows(IllegalArgumentException.class, () -> VerificationKeys.read(List.of(garbage)));
    assertThrows(
        IllegalArgumentException.class,
        () -> VerificationKeys.read(List.of(dir.resolve("missing"))));
    RSAKey small = new RSAKeyGenerator(1024, true).generate();
    assertThrows(IllegalArgumentException.class, () -> VerificationKeys.of(null, List.of(small)));
  }
}
