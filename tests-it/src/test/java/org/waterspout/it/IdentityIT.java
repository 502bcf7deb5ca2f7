package org.waterspout.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import jakarta.json.JsonObject;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.waterspout.it.support.Server;
import org.waterspout.it.support.Tokens;
import org.waterspout.it.support.WsClient;

/**
 * Tokens of an issuer that will not share a secret: the test servers hold its public keys ({@code
 * it-issuer.jwks.json}, given to them as {@code waterspout.token.public-keys}) besides the HS256
 * secret. RS256 and ES256 tokens sign in; a token signed with another key under the same kid, an
 * unsigned one, the HS/RS confusion and a token not valid yet are each closed with 1008 and say
 * why.
 */
@ExtendWith(ArquillianExtension.class)
class IdentityIT {

  @Deployment(testable = false)
  static WebArchive war() {
    return Server.builtWar();
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID();
  }

  @Test
  void rs256AndEs256TokensOfTheIssuerSignIn() throws Exception {
    for (JWSAlgorithm alg : new JWSAlgorithm[] {JWSAlgorithm.RS256, JWSAlgorithm.ES256}) {
      String user = unique("pro");
      try (WsClient client = WsClient.connect()) {
        JsonObject welcome = client.authenticate(Tokens.signed(alg, user, b -> b));
        assertEquals("welcome", welcome.getString("op"), () -> alg + ": " + welcome);
        assertEquals(user, welcome.getString("user"), welcome::toString);
      }
    }
  }

  @Test
  void forgedUnsignedConfusedAndNotYetValidTokensAreClosedWith1008() throws Exception {
    String invalid = "token signature or algorithm is invalid";
    Date later = Date.from(Instant.now().plusSeconds(300));
    String[][] tries = {
      {"another key, same kid", Tokens.signedWithAnotherKey(unique("mallory")), invalid},
      {"alg none", Tokens.unsigned(unique("mallory")), invalid},
      {"HS256 with the public key", Tokens.confused(unique("mallory")), invalid},
      {
        "nbf in five minutes",
        Tokens.signed(JWSAlgorithm.RS256, unique("early"), b -> b.notBeforeTime(later)),
        "token is not valid yet"
      },
    };
    for (String[] attempt : tries) {
      try (WsClient client = WsClient.connect()) {
        client.send("{\"op\":\"auth\",\"token\":\"" + attempt[1] + "\"}");
        WsClient.Closed closed = client.awaitClose(WsClient.WAIT);
        assertEquals(1008, closed.code(), () -> attempt[0] + ": " + closed);
        assertTrue(closed.reason().contains(attempt[2]), () -> attempt[0] + ": " + closed);
      }
    }
    // The same client with a good token of the issuer: the refusals were the tokens'.
    try (WsClient client = WsClient.connect()) {
      JsonObject welcome =
          client.authenticate(Tokens.signed(JWSAlgorithm.RS256, unique("pro"), b -> b));
      assertEquals("welcome", welcome.getString("op"), welcome::toString);
    }
  }
}
