package org.waterspout.it.support;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
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

  public static String forged(String user) {
    byte[] other = "not-the-server-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    return new TokenIssuer(other).issue(user, Set.of(), Instant.now(), Duration.ofMinutes(10));
  }
}
