package org.waterspout.admin;

/** {@code org.waterspout:type=Sessions}: this instance's WebSocket sessions. */
public interface SessionsMXBean {

  @Description("Open, authenticated WebSocket sessions")
  int getOpenSessions();

  @Description("Users with at least one open session")
  int getUsersOnline();

  @Description("The open sessions of a user, oldest first")
  SessionInfo[] listSessions(String user);

  @Description(
      "Closes every session of a user (close code 1000); returns how many were open. The client"
          + " may reconnect and authenticate again: to keep a user out, stop issuing tokens")
  int disconnectUser(String user);

  @Description("Sends a test notification to every session of a user; returns how many took it")
  int sendTestNotification(String user);

  @Description("Sends an announcement to every open session; returns how many took it")
  int broadcast(String title, String body);
}
