package org.waterspout.security;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Fuzzes the token verifier (with fuzzed headers and claims inside a JWT's three parts, so that the
 * fuzzer gets past the parsing into the algorithm and claim checks) and the perimeter's readers of
 * forwarding headers and address blocks. No fuzzed token may verify, and every refusal must be an
 * {@link InvalidTokenException} with a reason; a perimeter's readers never throw on a header.
 */
class TokenVerifierFuzzTest {

  private static final byte[] SECRET =
      "fuzz-test-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8);
  private static final TokenVerifier VERIFIER = new TokenVerifier(SECRET);
  private static final Perimeter PERIMETER =
      Perimeter.of("", "203.0.113.0/24", "10.0.0.0/8", "https://*.example.com");
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  @FuzzTest(maxDuration = "20s")
  void tokensAndHeaders(FuzzedDataProvider data) {
    String header = data.consumeString(200);
    String claims = data.consumeString(400);
    String signature = data.consumeString(100);
    String raw = data.consumeRemainingAsString();
    for (String token :
        List.of(
            raw,
            b64(header) + "." + b64(claims) + "." + b64(signature),
            b64(header) + "." + b64(claims) + ".")) {
      try {
        VERIFIER.verify(token);
        throw new AssertionError("a fuzzed token verified: " + token);
      } catch (InvalidTokenException e) {
        if (e.getMessage() == null || e.getMessage().isEmpty()) {
          throw new AssertionError("a refusal must say why", e);
        }
      }
    }
    PERIMETER.check(
        new Perimeter.Request(
            "10.1.2.3", header, claims, List.of(raw), List.of(signature), List.of(claims)));
    try {
      AddressRange.parse(raw);
    } catch (IllegalArgumentException e) {
      // Refused with the entry named: a deployment problem.
    }
  }

  private static String b64(String s) {
    return B64.encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
