package org.waterspout.admin;

import org.waterspout.delivery.ClientSession;

/**
 * One open session as admins see it. A class with getters, not a record, because JMX maps such
 * classes to the {@code CompositeData} that JConsole and VisualVM display.
 */
public final class SessionInfo {

  private final String id;
  private final String user;
  private final String[] groups;
  private final String openedAt;
  private final int queuedFrames;

  SessionInfo(ClientSession session) {
    this.id = session.id();
    this.user = session.user();
    this.groups = session.groups().stream().sorted().toArray(String[]::new);
    this.openedAt = session.openedAt().toString();
    this.queuedFrames = session.queued();
  }

  public String getId() {
    return id;
  }

  public String getUser() {
    return user;
  }

  public String[] getGroups() {
    return groups.clone();
  }

  /** ISO-8601 instant at which the session authenticated. */
  public String getOpenedAt() {
    return openedAt;
  }

  /** Frames waiting to be written to the socket. */
  public int getQueuedFrames() {
    return queuedFrames;
  }
}
