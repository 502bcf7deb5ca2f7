package org.waterspout.admin;

/** {@code org.waterspout:type=Sessions}: this instance's WebSocket sessions. */
public interface SessionsMXBean {

  @Description("Open, authenticated sessions: WebSocket, SSE streams and waiting long polls")
  int getOpenSessions();

  @Description("Users with at least one open session")
  int getUsersOnline();

  @Description(
      "Most sessions this instance takes (open sockets and handshakes under way); past it a"
          + " handshake is refused with 503. Settable until the next restart; 0 sets the default"
          + " from the heap and the open-file limit")
  int getMaxSessions();

  void setMaxSessions(int limit);

  @Description("Sessions counted against the limit: open sockets and handshakes under way")
  int getAdmittedSessions();

  @Description("Handshakes refused because the session limit was reached")
  long getRefusedAtCapacity();

  @Description("Handshakes refused because they came faster than the handshake rate")
  long getRefusedForRate();

  @Description("Handshakes refused because the heap was above its watermark")
  long getRefusedForHeap();

  @Description("Requests to the client paths refused with 403 for their Origin")
  long getRefusedForOrigin();

  @Description("Requests to the client paths refused with 403 for their client address")
  long getRefusedForAddress();

  @Description("Sessions closed with 1008 for sending more frames a second than allowed")
  long getClosedForFrameRate();

  @Description("Sign-ins refused because their user held as many sessions as one may")
  long getRefusedForUserSessions();

  @Description(
      "WebSocket and SSE handshakes one client address may make a second (bursts of twice that);"
          + " more get 429. Set: until the next restart")
  int getMaxHandshakesPerAddressPerSecond();

  void setMaxHandshakesPerAddressPerSecond(int perSecond);

  @Description(
      "WebSocket sockets one client address may hold open before they sign in; more get 429."
          + " Set: until the next restart")
  int getMaxUnauthenticatedPerAddress();

  void setMaxUnauthenticatedPerAddress(int most);

  @Description("Handshakes refused with 429: their address made more a second than allowed")
  long getRefusedForAddressRate();

  @Description("Handshakes refused with 429: their address held its most sockets not signed in")
  long getRefusedForUnauthenticated();

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
