package org.waterspout.admin;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonValue;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Logger;
import org.waterspout.admission.Admission;
import org.waterspout.config.Settings;
import org.waterspout.delivery.ClientSession;
import org.waterspout.delivery.DeliveryStats;
import org.waterspout.delivery.HistogramRecorder;
import org.waterspout.delivery.NotificationRouter;
import org.waterspout.delivery.Outgoing;
import org.waterspout.delivery.SessionRegistry;
import org.waterspout.notification.Limits;
import org.waterspout.notification.Notification;
import org.waterspout.notification.NotificationCodec;
import org.waterspout.notification.RecipientNames;
import org.waterspout.notification.Recipients;
import org.waterspout.notification.Unicode;
import org.waterspout.security.AddressLimits;
import org.waterspout.security.Defences;

/**
 * The figures and operations behind the management beans and the admin page, so both always agree.
 * Operations act on this instance's sessions directly, without the broker: they work while the
 * broker is down, which is when an admin may most want to tell users something.
 */
@ApplicationScoped
public class Administration {

  /** Notification type of a test notification sent by an admin. */
  public static final String TEST_TYPE = "waterspout.test";

  /** Notification type of an admin's announcement to everyone online. */
  public static final String ANNOUNCEMENT_TYPE = "waterspout.announcement";

  private static final Logger LOG = Logger.getLogger(Administration.class.getName());

  @Inject SessionRegistry registry;
  @Inject NotificationRouter router;
  @Inject DeliveryStats stats;
  @Inject Settings settings;
  @Inject Admission admission;
  @Inject Defences defences;

  public int openSessions() {
    return registry.sessionCount();
  }

  public int usersOnline() {
    return registry.userCount();
  }

  public DeliveryStats.Counts counts() {
    return stats.counts();
  }

  /** Delivery latency in nanoseconds; see {@link DeliveryStats#latency}. */
  public HistogramRecorder.Snapshot latency(long... upperBoundsNanos) {
    return stats.latency(upperBoundsNanos);
  }

  /** Notification frame sizes in bytes; see {@link DeliveryStats#frameBytes}. */
  public HistogramRecorder.Snapshot frameBytes(long... upperBoundsBytes) {
    return stats.frameBytes(upperBoundsBytes);
  }

  /** How many clients {@code defence} turned away since the start. */
  public long refusedBy(Defences.Defence defence) {
    return defences.refusedBy(defence);
  }

  /** What one client address may take of the connections. */
  public AddressLimits addressLimits() {
    return defences.addressLimits();
  }

  /** Sets the handshakes one address may make a second, until the next restart. */
  public void setMaxHandshakesPerAddressPerSecond(int perSecond, String by) {
    defences.addressLimits().handshakesPerSecond(perSecond);
    LOG.info(() -> by + " set the handshakes per address to " + perSecond + " a second");
  }

  /** Sets the sockets one address may hold before they sign in, until the next restart. */
  public void setMaxUnauthenticatedPerAddress(int most, String by) {
    defences.addressLimits().maxUnauthenticated(most);
    LOG.info(() -> by + " set the unauthenticated sockets per address to " + most);
  }

  /** The session limit, what counts against it, and the refused handshakes. */
  public Admission.Figures admission() {
    return admission.figures();
  }

  /** Sets the session limit until the next restart; 0: the default from the heap and files. */
  public void setMaxSessions(int limit, String by) {
    admission.setMaxSessions(limit, by);
  }

  /** The open sessions of {@code user}, oldest first. */
  public List<SessionInfo> sessionsOf(String user) {
    requireUser(user);
    return registry.sessionsOf(user).stream()
        .sorted(Comparator.comparing(ClientSession::openedAt))
        .map(SessionInfo::new)
        .toList();
  }

  /** Closes every session of {@code user}; returns how many were open. */
  public int disconnect(String user, String by) {
    requireUser(user);
    List<ClientSession> sessions = List.copyOf(registry.sessionsOf(user));
    sessions.forEach(s -> s.disconnect("disconnected by an administrator"));
    LOG.info(() -> by + " disconnected " + sessions.size() + " session(s) of user " + user);
    return sessions.size();
  }

  /** Sends a test notification to every session of {@code user}; returns how many took it. */
  public int sendTest(String user, String by) {
    requireUser(user);
    Notification test =
        notification(
            TEST_TYPE,
            new Recipients(Set.of(user), Set.of()),
            "Test notification",
            "Sent by " + by + " to check that notifications reach you.");
    int reached = push(List.copyOf(registry.sessionsOf(user)), test);
    LOG.info(
        () -> by + " sent a test notification to user " + user + ": " + reached + " session(s)");
    return reached;
  }

  /** Sends an announcement to every open session; returns how many took it. */
  public int broadcast(String title, String body, String by) {
    requireText("title", title, 1, Limits.MAX_TITLE_CHARS);
    requireText("body", body == null ? "" : body, 0, Limits.MAX_BODY_CHARS);
    Notification announcement =
        notification(ANNOUNCEMENT_TYPE, new Recipients(Set.of(), Set.of()), title, body);
    int reached = push(registry.all(), announcement);
    LOG.info(() -> by + " broadcast an announcement to " + reached + " session(s): " + title);
    return reached;
  }

  private static void requireUser(String user) {
    if (!RecipientNames.isValid(user)) {
      throw new IllegalArgumentException("a user id is 1 to 200 characters without spaces");
    }
  }

  private static void requireText(String name, String text, int min, int max) {
    if (text == null || text.length() < min || text.length() > max) {
      throw new IllegalArgumentException(name + " must be " + min + " to " + max + " characters");
    }
    if (!Unicode.isWellFormed(text)) {
      throw new IllegalArgumentException(name + " is not valid Unicode (a lone surrogate)");
    }
  }

  private int push(List<ClientSession> sessions, Notification notification) {
    String frame =
        new NotificationCodec(new Limits(settings.maxMessageBytes())).encodeFrame(notification);
    // A control frame to the counters: Delivered and the latency stay about the order system's
    // notifications, from intake to socket.
    return router.deliver(sessions, Outgoing.control(frame));
  }

  private static Notification notification(String type, Recipients to, String title, String body) {
    return new Notification(
        "urn:uuid:" + UUID.randomUUID(),
        type,
        to,
        Optional.of(title),
        Optional.ofNullable(body).filter(b -> !b.isBlank()),
        JsonValue.EMPTY_JSON_OBJECT,
        Instant.now());
  }
}
