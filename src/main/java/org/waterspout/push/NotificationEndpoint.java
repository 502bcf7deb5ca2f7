package org.waterspout.push;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.waterspout.admission.Admission;
import org.waterspout.config.Settings;
import org.waterspout.delivery.DeliveryStats;
import org.waterspout.delivery.SessionRegistry;
import org.waterspout.delivery.SessionStream;
import org.waterspout.history.Cursor;
import org.waterspout.history.History;
import org.waterspout.history.Page;
import org.waterspout.notification.Utf8;
import org.waterspout.push.ClientFrame.BadFrameException;
import org.waterspout.security.Identity;
import org.waterspout.security.InvalidTokenException;
import org.waterspout.security.TokenKeys;
import org.waterspout.security.TokenVerifier;
import org.waterspout.timing.Timeout;
import org.waterspout.timing.Timers;

/**
 * The browser's connection at {@code /ws}. A new socket must authenticate with its first frame,
 * {@code {"op":"auth","token":"<JWT>"}}, within the auth timeout, or it is closed with 1008. Once
 * authenticated it receives {@code welcome}, then its notifications, until the token expires
 * (closed with 1008: reconnect with a fresh token) or either side closes. With the history on, the
 * client may then send {@code resume} and {@code ack} (see {@link Sequencing}). The server pings it
 * every ping interval and closes it with 1001 after two unanswered pings ({@link Heartbeat}); every
 * socket counts against the session limit from its handshake to its close ({@link Admission}).
 */
@ServerEndpoint("/ws")
public class NotificationEndpoint {

  private static final Logger LOG = Logger.getLogger(NotificationEndpoint.class.getName());

  @Inject Settings settings;
  @Inject SessionRegistry registry;
  @Inject DeliveryStats stats;
  @Inject TokenKeys tokens;
  @Inject History history;
  @Inject Admission admission;
  @Inject Timers timers;

  @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
  ManagedScheduledExecutorService scheduler;

  // One instance per socket; the timer and the container's threads both touch these.
  private volatile WebSocketClient client;
  private volatile Sequencing sequencing;
  private volatile Timeout deadline;
  private volatile Heartbeat heartbeat;
  private volatile boolean closed;

  @OnOpen
  public void open(Session session) {
    admission.opened();
    session.setMaxTextMessageBufferSize(settings.maxFrameBytes());
    session.setMaxBinaryMessageBufferSize(settings.maxFrameBytes());
    deadline =
        closeLater(
            session,
            settings.authTimeout(),
            "authentication timeout: send {\"op\":\"auth\",\"token\":...} first",
            true);
    heartbeat =
        Heartbeat.of(
            session,
            timers,
            settings.protection().pingInterval(),
            () -> client != null && client.queued() == 0);
    heartbeat.start();
  }

  /** The answer to the heartbeat's ping (browsers answer on their own). */
  @OnMessage
  public void pong(PongMessage pong) {
    Heartbeat beating = heartbeat;
    if (beating != null) {
      beating.answered();
    }
  }

  @OnMessage(maxMessageSize = Settings.MAX_FRAME_BYTES_LIMIT)
  public void frame(Session session, String text) {
    if (Utf8.length(text, settings.maxFrameBytes()) > settings.maxFrameBytes()) {
      // Tyrus enforces the session's limit before buffering; Undertow (WildFly) delivers the frame.
      Closer.close(
          session,
          CloseCodes.TOO_BIG,
          "frame too large: at most " + settings.maxFrameBytes() + " bytes");
      return;
    }
    try {
      handle(session, text);
    } catch (RuntimeException e) {
      // A bug of ours, not the client's: an admin should see it.
      LOG.log(Level.WARNING, "Handling a frame of session " + session.getId() + " failed", e);
      refuse(session, "internal", "the server could not handle this frame");
    }
  }

  private void handle(Session session, String text) {
    ClientFrame frame;
    try {
      frame = ClientFrame.parse(text);
    } catch (BadFrameException e) {
      refuse(session, "bad-frame", e.getMessage());
      return;
    }
    if (client == null) {
      if (!ClientFrame.AUTH.equals(frame.op())) {
        Closer.close(session, CloseCodes.VIOLATED_POLICY, "authenticate first: op must be auth");
        return;
      }
      authenticate(session, frame);
      return;
    }
    try {
      if (sequencing.handle(frame)) {
        return;
      }
    } catch (BadFrameException e) {
      refuse(session, "bad-frame", e.getMessage());
      return;
    }
    switch (frame.op()) {
      case ClientFrame.PING -> client.deliver(ServerFrames.pong());
      case ClientFrame.AUTH ->
          client.deliver(
              ServerFrames.error("already-authenticated", "reconnect to use another token"));
      default -> client.deliver(ServerFrames.error("unknown-op", "unknown op: " + frame.op()));
    }
  }

  @OnMessage(maxMessageSize = Settings.MAX_FRAME_BYTES_LIMIT)
  public void binary(Session session, ByteBuffer bytes) {
    // Before authentication anything but an auth frame breaks the handshake's policy.
    Closer.close(
        session,
        client == null ? CloseCodes.VIOLATED_POLICY : CloseCodes.CANNOT_ACCEPT,
        "binary frames are not supported");
  }

  @OnClose
  public void closed(Session session, CloseReason reason) {
    if (!closed) {
      admission.closed();
    }
    closed = true;
    cancelDeadline();
    if (heartbeat != null) {
      heartbeat.stop();
    }
    WebSocketClient gone = client;
    if (gone != null) {
      registry.remove(gone);
      sequencing.close();
    }
    LOG.fine(() -> "Session " + session.getId() + " closed: " + reason);
  }

  @OnError
  public void failed(Session session, Throwable error) {
    // Transport and protocol errors: a vanished client, an oversized frame (the container closes
    // with 1009). Routine, and a client could flood the log with them; errors in our own frame
    // handling are logged at WARNING where they happen.
    LOG.log(Level.FINE, "Session " + session.getId() + " failed", error);
  }

  private void authenticate(Session session, ClientFrame frame) {
    Identity identity;
    try {
      identity = tokens.verifier().verify(frame.token());
    } catch (BadFrameException | InvalidTokenException e) {
      LOG.fine(() -> "Session " + session.getId() + " refused: " + e.getMessage());
      Closer.close(session, CloseCodes.VIOLATED_POLICY, e.getMessage());
      return;
    }
    Optional<Cursor> cursor;
    try {
      cursor = settings.history().enabled() ? Optional.of(joined(identity)) : Optional.empty();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Session " + session.getId() + ": the history is unavailable", e);
      Closer.close(session, CloseCodes.TRY_AGAIN_LATER, "history unavailable: try again later");
      return;
    }
    cancelDeadline();
    WebSocketClient authenticated =
        new WebSocketClient(
            session,
            identity,
            settings.outboxCapacity(),
            settings.sendTimeout(),
            (reason, cause) -> broken(session, reason, cause),
            stats,
            cursor.map(c -> sequence(identity.user())));
    sequencing = new Sequencing(authenticated, cursor.map(c -> history));
    client = authenticated;
    // Welcome first in the outbox, then visible to delivery and admins, then sent: a client that
    // has its welcome is registered, and no notification overtakes the welcome.
    authenticated.deliver(
        ServerFrames.welcome(identity, session.getId(), settings.maxFrameBytes(), cursor));
    registry.add(authenticated);
    authenticated.start();
    sequencing.beginLater(scheduler, settings.resumeWait());
    if (closed) {
      // The socket closed while we authenticated; closed() may have run before client was set.
      registry.remove(authenticated);
      sequencing.close();
      return;
    }
    // The verifier tolerates clock skew past exp; so does the session.
    Instant end = identity.expiresAt().plusSeconds(TokenVerifier.CLOCK_SKEW_SECONDS);
    deadline =
        closeLater(
            session,
            Duration.between(Instant.now(), end),
            "token expired: reconnect with a fresh token",
            false);
  }

  /** Records the token's groups for the user's sequence; retried, as two devices may race. */
  private Cursor joined(Identity identity) {
    for (int attempt = 1; ; attempt++) {
      try {
        return history.joined(identity.user(), identity.groups());
      } catch (RuntimeException e) {
        if (attempt == 3) {
          throw e;
        }
        LOG.log(Level.FINE, "Recording the groups of " + identity.user() + " failed; again", e);
      }
    }
  }

  private WebSocketClient.Sequence sequence(String user) {
    return new WebSocketClient.Sequence(
        new SessionStream.Source() {
          @Override
          public Page after(long seq, int limit) {
            return history.after(user, seq, limit);
          }

          @Override
          public long acked() {
            return history.cursor(user).acked();
          }
        },
        (task, delayMillis) -> scheduler.schedule(task, delayMillis, TimeUnit.MILLISECONDS));
  }

  private void refuse(Session session, String code, String message) {
    if (client == null) {
      Closer.close(session, CloseCodes.VIOLATED_POLICY, message);
    } else {
      client.deliver(ServerFrames.error(code, message));
    }
  }

  private void broken(Session session, String reason, Throwable cause) {
    WebSocketClient gone = client;
    if (gone != null) {
      registry.remove(gone);
    }
    if (cause == null) {
      LOG.info(() -> "Closing session " + session.getId() + " of " + userOf(gone) + ": " + reason);
      Closer.close(session, CloseCodes.TRY_AGAIN_LATER, reason);
    } else {
      LOG.log(Level.FINE, "Closing session " + session.getId() + ": " + reason, cause);
      Closer.close(session, CloseCodes.UNEXPECTED_CONDITION, "send failed");
    }
  }

  private Timeout closeLater(
      Session session, Duration delay, String reason, boolean onlyIfUnauthenticated) {
    return Deadlines.closeLater(
        timers,
        session,
        this,
        endpoint -> !onlyIfUnauthenticated || endpoint.client == null,
        delay,
        reason);
  }

  private void cancelDeadline() {
    Timeout pending = deadline;
    if (pending != null) {
      pending.cancel();
    }
  }

  private static String userOf(WebSocketClient client) {
    return client == null ? "(unauthenticated)" : client.user();
  }
}
