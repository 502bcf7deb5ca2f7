package org.waterspout.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The keys a token may be signed with, and so the algorithms accepted: HS256 with the shared
 * secret, RS256 with an RSA public key (2048 bits or more), ES256 with an EC P-256 public key.
 * Public keys come from PEM files ({@code -----BEGIN PUBLIC KEY-----}) or a local JWKS file (the
 * issuer's published key set, copied); a token naming a {@code kid} is verified with that key only.
 * Private key material in a JWKS file is ignored (only the public part is kept).
 *
 * @param set the keys
 * @param algorithms the algorithms they verify
 */
public record VerificationKeys(JWKSet set, Set<JWSAlgorithm> algorithms) {

  private static final Pattern PEM =
      Pattern.compile("-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\\s]+)-----END PUBLIC KEY-----");

  public VerificationKeys {
    algorithms = Set.copyOf(algorithms);
  }

  /** The keys of {@code secret} (null: none) and {@code publicKeys}. */
  public static VerificationKeys of(byte[] secret, List<JWK> publicKeys) {
    List<JWK> keys = new ArrayList<>();
    Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();
    if (secret != null) {
      keys.add(new OctetSequenceKey.Builder(secret).keyUse(KeyUse.SIGNATURE).build());
      algorithms.add(JWSAlgorithm.HS256);
    }
    for (JWK key : publicKeys) {
      if (key instanceof RSAKey rsa) {
        if (rsa.size() < 2048) {
          throw new IllegalArgumentException(
              "RSA key " + name(key) + " has " + rsa.size() + " bits: at least 2048 are needed");
        }
        algorithms.add(JWSAlgorithm.RS256);
      } else if (key instanceof ECKey ec) {
        if (!Curve.P_256.equals(ec.getCurve())) {
          throw new IllegalArgumentException(
              "EC key " + name(key) + " is on " + ec.getCurve() + ": ES256 needs P-256");
        }
        algorithms.add(JWSAlgorithm.ES256);
      } else {
        throw new IllegalArgumentException(
            "key "
                + name(key)
                + " is "
                + key.getKeyType()
                + ": only RSA and EC keys verify tokens");
      }
      keys.add(key.toPublicJWK());
    }
    return new VerificationKeys(new JWKSet(keys), algorithms);
  }

  /**
   * Reads public keys: each path a PEM file of one or more public keys, or a JWKS file ({@code
   * {"keys":[...]}}). Throws {@link IllegalArgumentException} saying which file is wrong and why.
   */
  public static List<JWK> read(List<Path> files) {
    List<JWK> keys = new ArrayList<>();
    for (Path file : files) {
      String text;
      try {
        text = Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
      }
      try {
        keys.addAll(text.strip().startsWith("{") ? JWKSet.parse(text).getKeys() : pem(text));
      } catch (ParseException | GeneralSecurityException e) {
        throw new IllegalArgumentException(
            file + " holds no usable public key: " + e.getMessage(), e);
      }
      if (keys.isEmpty()) {
        throw new IllegalArgumentException(file + " holds no public key");
      }
    }
    return keys;
  }

  private static List<JWK> pem(String text) throws GeneralSecurityException {
    List<JWK> keys = new ArrayList<>();
    Matcher m = PEM.matcher(text);
    while (m.find()) {
      byte[] der = Base64.getMimeDecoder().decode(m.group(1));
      keys.add(jwk(der));
    }
    if (keys.isEmpty()) {
      throw new GeneralSecurityException("no -----BEGIN PUBLIC KEY----- block");
    }
    return keys;
  }

  private static JWK jwk(byte[] der) throws GeneralSecurityException {
    X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
    PublicKey key;
    try {
      key = KeyFactory.getInstance("RSA").generatePublic(spec);
    } catch (GeneralSecurityException notRsa) {
      key = KeyFactory.getInstance("EC").generatePublic(spec);
    }
    if (key instanceof RSAPublicKey rsa) {
      return new RSAKey.Builder(rsa).build();
    }
    ECPublicKey ec = (ECPublicKey) key;
    Curve curve = Curve.forECParameterSpec(ec.getParams());
    if (curve == null) {
      throw new GeneralSecurityException("an EC key on a curve JOSE does not name");
    }
    return new ECKey.Builder(curve, ec).build();
  }

  private static String name(JWK key) {
    return key.getKeyID() == null ? "(no kid)" : key.getKeyID();
  }
}
