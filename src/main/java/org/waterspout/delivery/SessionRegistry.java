package org.waterspout.delivery;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.waterspout.notification.Recipients;

/**
 * The open sessions of this instance, indexed by user and by group. Safe for concurrent use;
 * entries for users and groups with no session left are removed atomically, so the maps hold only
 * who is online.
 */
@ApplicationScoped
public class SessionRegistry {

  private final Map<String, Set<ClientSession>> byUser = new ConcurrentHashMap<>();
  private final Map<String, Set<ClientSession>> byGroup = new ConcurrentHashMap<>();

  /** Adds an authenticated session under its user and each of its groups. */
  public void add(ClientSession session) {
    index(byUser, session.user(), session);
    for (String group : session.groups()) {
      index(byGroup, group, session);
    }
  }

  /**
   * Adds {@code session} as {@link #add} does unless its user holds {@code most} sessions already;
   * false then, and nothing is added. Two sign-ins of one user at once cannot both pass the limit.
   */
  public boolean addWithin(ClientSession session, int most) {
    boolean[] added = {false};
    byUser.compute(
        session.user(),
        (k, sessions) -> {
          Set<ClientSession> set = sessions == null ? ConcurrentHashMap.newKeySet() : sessions;
          if (set.size() < most) {
            added[0] = set.add(session);
          }
          return set.isEmpty() ? null : set;
        });
    if (added[0]) {
      for (String group : session.groups()) {
        index(byGroup, group, session);
      }
    }
    return added[0];
  }

  /** Removes a session; removing one that is not registered does nothing. */
  public void remove(ClientSession session) {
    unindex(byUser, session.user(), session);
    for (String group : session.groups()) {
      unindex(byGroup, group, session);
    }
  }

  /** Every session that should receive a notification for {@code to}, each once. */
  public Set<ClientSession> sessionsFor(Recipients to) {
    Set<ClientSession> sessions = new LinkedHashSet<>();
    for (String user : to.users()) {
      sessions.addAll(byUser.getOrDefault(user, Set.of()));
    }
    for (String group : to.groups()) {
      sessions.addAll(byGroup.getOrDefault(group, Set.of()));
    }
    return sessions;
  }

  /** The open sessions in one group: a live view, not a copy. */
  public Set<ClientSession> sessionsInGroup(String group) {
    return Collections.unmodifiableSet(byGroup.getOrDefault(group, Set.of()));
  }

  /** The open sessions of one user. */
  public Set<ClientSession> sessionsOf(String user) {
    return Collections.unmodifiableSet(byUser.getOrDefault(user, Set.of()));
  }

  /** Every open session of this instance. */
  public List<ClientSession> all() {
    return byUser.values().stream().flatMap(Set::stream).toList();
  }

  /** Users with at least one open session, sorted. */
  public List<String> users() {
    return byUser.keySet().stream().sorted().toList();
  }

  /** Number of users with at least one open session. */
  public int userCount() {
    return byUser.size();
  }

  /** Number of open sessions. */
  public int sessionCount() {
    return byUser.values().stream().mapToInt(Set::size).sum();
  }

  private static void index(
      Map<String, Set<ClientSession>> map, String key, ClientSession session) {
    map.compute(
        key,
        (k, sessions) -> {
          Set<ClientSession> set = sessions == null ? ConcurrentHashMap.newKeySet() : sessions;
          set.add(session);
          return set;
        });
  }

  private static void unindex(
      Map<String, Set<ClientSession>> map, String key, ClientSession session) {
    map.computeIfPresent(
        key,
        (k, sessions) -> {
          sessions.remove(session);
          return sessions.isEmpty() ? null : sessions;
        });
  }
}
