package org.waterspout.notification;

import java.util.Set;

/**
 * Who a notification is for: user ids and group names. A session receives a notification when its
 * user is listed or its token names one of the groups.
 *
 * @param users user ids (token {@code sub}), never null
 * @param groups group names (token {@code groups}), never null
 */
public record Recipients(Set<String> users, Set<String> groups) {

  public Recipients {
    users = Set.copyOf(users);
    groups = Set.copyOf(groups);
  }

  public int size() {
    return users.size() + groups.size();
  }
}
