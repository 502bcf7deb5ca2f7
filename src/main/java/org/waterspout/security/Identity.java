package org.waterspout.security;

import java.time.Instant;
import java.util.Set;

/**
 * A verified client: the token's subject, its groups and when it stops being valid.
 *
 * @param user the token's {@code sub}
 * @param groups the token's {@code groups}, empty when absent
 * @param expiresAt the token's {@code exp}
 */
public record Identity(String user, Set<String> groups, Instant expiresAt) {

  public Identity {
    groups = Set.copyOf(groups);
  }
}
