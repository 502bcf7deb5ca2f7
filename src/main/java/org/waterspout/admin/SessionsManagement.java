package org.waterspout.admin;

import org.waterspout.security.Defences;

/** The {@code org.waterspout:type=Sessions} management bean. */
final class SessionsManagement implements SessionsMXBean {

  private static final String BY = "an admin over JMX";

  private final Administration administration;

  SessionsManagement(Administration administration) {
    this.administration = administration;
  }

  @Override
  public int getOpenSessions() {
    return administration.openSessions();
  }

  @Override
  public int getUsersOnline() {
    return administration.usersOnline();
  }

  @Override
  public int getMaxSessions() {
    return administration.admission().maxSessions();
  }

  @Override
  public void setMaxSessions(int limit) {
    administration.setMaxSessions(limit, BY);
  }

  @Override
  public int getAdmittedSessions() {
    return administration.admission().sessions();
  }

  @Override
  public long getRefusedAtCapacity() {
    return administration.admission().refusedCapacity();
  }

  @Override
  public long getRefusedForOrigin() {
    return administration.refusedBy(Defences.Defence.ORIGIN);
  }

  @Override
  public long getRefusedForAddress() {
    return administration.refusedBy(Defences.Defence.ADDRESS);
  }

  @Override
  public long getClosedForFrameRate() {
    return administration.refusedBy(Defences.Defence.FRAME_RATE);
  }

  @Override
  public long getRefusedForUserSessions() {
    return administration.refusedBy(Defences.Defence.USER_SESSIONS);
  }

  @Override
  public int getMaxHandshakesPerAddressPerSecond() {
    return administration.addressLimits().handshakesPerSecond();
  }

  @Override
  public void setMaxHandshakesPerAddressPerSecond(int perSecond) {
    administration.setMaxHandshakesPerAddressPerSecond(perSecond, BY);
  }

  @Override
  public int getMaxUnauthenticatedPerAddress() {
    return administration.addressLimits().maxUnauthenticated();
  }

  @Override
  public void setMaxUnauthenticatedPerAddress(int most) {
    administration.setMaxUnauthenticatedPerAddress(most, BY);
  }

  @Override
  public long getRefusedForAddressRate() {
    return administration.refusedBy(Defences.Defence.ADDRESS_RATE);
  }

  @Override
  public long getRefusedForUnauthenticated() {
    return administration.refusedBy(Defences.Defence.UNAUTHENTICATED);
  }

  @Override
  public long getRefusedForRate() {
    return administration.admission().refusedRate();
  }

  @Override
  public long getRefusedForHeap() {
    return administration.admission().refusedHeap();
  }

  @Override
  public SessionInfo[] listSessions(String user) {
    return administration.sessionsOf(user).toArray(SessionInfo[]::new);
  }

  @Override
  public int disconnectUser(String user) {
    return administration.disconnect(user, BY);
  }

  @Override
  public int sendTestNotification(String user) {
    return administration.sendTest(user, BY);
  }

  @Override
  public int broadcast(String title, String body) {
    return administration.broadcast(title, body, BY);
  }
}
