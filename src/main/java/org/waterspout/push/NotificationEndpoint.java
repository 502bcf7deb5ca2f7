package org.waterspout.push;

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
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.waterspout.admission.Admission;
import org.waterspout.admission.HandshakeTicket;
import org.waterspout.config.Settings;
import org.waterspout.notification.Utf8;
import org.waterspout.push.ClientFrame.BadFrameException;
import org.waterspout.security.Defences;
import org.waterspout.security.Identity;
import org.waterspout.security.InvalidTokenException;

/**
 * The browser's connection at {@code /ws}. A new socket must authenticate with its first frame,
 * {@code {"op":"auth","token":"<JWT>"}}, within the auth timeout, or it is closed with 1008. Once
 * authenticated it receives {@code welcome}, then its notifications, until the token expires
 * (closed with 1008: reconnect with a fresh token) or either side closes. With the history on, the
 * client may then send {@code resume} and {@code ack} (see {@link CursorFrames}). A sign-in reads
 * where the session's streams stand off the socket's thread, in a batch with others, and writes
 * nothing; frames that come meanwhile are handled after the welcome ({@link SignInSequence}). The
 * server pings it every ping interval and closes it with 1001 after two unanswered pings ({@link
 * Heartbeat}); every socket counts against the session limit from its handshake to its close
 * ({@link Admission}); when the application stops, every socket is closed with 1001 ({@link
 * GoingAway}).
 */
@ServerEndpoint("/ws")
public class NotificationEndpoint {

  private static final Logger LOG = Logger.getLogger(NotificationEndpoint.class.getName());

  // One injected field: each is metadata kept per instance, that is per session (SocketServices).
  @Inject SocketServices services;

  // One instance per socket; the timer and the container's threads both touch these.
  private final SocketState socket = new SocketState();
  private volatile Heartbeat heartbeat;

  @OnOpen
  public void open(Session session) {
    services.admission().opened();
    socket.ticket(HandshakeTicket.of(session));
    ContainerIdleTimer.redirect(session, services.workers().sessionTimers());
    session.setMaxTextMessageBufferSize(services.settings().maxFrameBytes());
    session.setMaxBinaryMessageBufferSize(services.settings().maxFrameBytes());
    socket.deadline(
        Deadlines.closeLater(
            services.timers(),
            session,
            socket,
            state -> state.client() == null,
            services.settings().authTimeout(),
            "authentication timeout: send {\"op\":\"auth\",\"token\":...} first"));
    heartbeat =
        Heartbeat.of(
            session,
            services.timers(),
            services.settings().protection().pingInterval(),
            () -> socket.client() != null && socket.client().idle(),
            () -> {
              WebSocketClient pinged = socket.client();
              if (pinged != null) {
                pinged.ping();
              }
            },
            () -> {
              WebSocketClient busy = socket.client();
              if (busy != null) {
                busy.giveUpIfStuck(services.settings().sendTimeout());
              }
            });
    heartbeat.start();
    // Last: one that opens while the instance stops is closed here, and its close stops the above.
    services.goingAway().opened(session);
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
    if (Utf8.length(text, services.settings().maxFrameBytes())
        > services.settings().maxFrameBytes()) {
      // Tyrus enforces the session's limit before buffering; Undertow (WildFly) delivers the frame.
      Closer.close(
          session,
          CloseCodes.TOO_BIG,
          "frame too large: at most " + services.settings().maxFrameBytes() + " bytes");
      return;
    }
    if (!socket.takeFrame(services.settings().access().maxFramesPerSecond(), System.nanoTime())) {
      flood(session);
      return;
    }
    try {
      if (socket.client() != null && socket.early().keep(text, () -> tooManyEarly(session))) {
        return;
      }
      handle(session, text);
    } catch (RuntimeException e) {
      // A bug of ours, not the client's: an admin should see it.
      LOG.log(Level.WARNING, "Handling a frame of session " + session.getId() + " failed", e);
      refuse(session, "internal", "the server could not handle this frame");
    }
  }

  private void handle(Session session, String text) {
    WebSocketClient client = socket.client();
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
      if (socket.cursors().handle(frame)) {
        return;
      }
    } catch (BadFrameException e) {
      refuse(session, "bad-frame", e.getMessage());
      return;
    }
    switch (frame.op()) {
      case ClientFrame.PING -> client.deliver(ServerFrames.pong());
      case ClientFrame.AUTH -> extend(session, client, frame);
      default -> client.deliver(ServerFrames.error("unknown-op", "unknown op: " + frame.op()));
    }
  }

  @OnMessage(maxMessageSize = Settings.MAX_FRAME_BYTES_LIMIT)
  public void binary(Session session, ByteBuffer bytes) {
    // Before authentication anything but an auth frame breaks the handshake's policy.
    Closer.close(
        session,
        socket.client() == null ? CloseCodes.VIOLATED_POLICY : CloseCodes.CANNOT_ACCEPT,
        "binary frames are not supported");
  }

  @OnClose
  public void closed(Session session, CloseReason reason) {
    if (socket.markClosed()) {
      services.admission().closed();
    }
    services.goingAway().closed(session);
    signedInOrGone();
    socket.cancelDeadline();
    if (heartbeat != null) {
      heartbeat.stop();
    }
    WebSocketClient gone = socket.client();
    if (gone != null) {
      services.registry().remove(gone);
      socket.stop(gone);
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
      identity = services.tokens().verifier().verify(frame.token());
    } catch (BadFrameException | InvalidTokenException e) {
      LOG.fine(() -> "Session " + session.getId() + " refused: " + e.getMessage());
      Closer.close(session, CloseCodes.VIOLATED_POLICY, e.getMessage());
      return;
    }
    socket.cancelDeadline();
    signedInOrGone();
    services
        .signIn()
        .start(
            session,
            identity,
            socket,
            (reason, cause) -> broken(session, reason, cause),
            text -> handle(session, text));
  }

  /** The socket no longer counts against its address' sockets not signed in. */
  private void signedInOrGone() {
    services.defences().addressLimits().signedInOrGone(socket.takeTicket());
  }

  /** Counted and closed once; the frames still in flight behind it are dropped. */
  private void flood(Session session) {
    if (socket.markFloodClosed()) {
      services.defences().refused(Defences.Defence.FRAME_RATE);
      int most = services.settings().access().maxFramesPerSecond();
      LOG.info(
          () ->
              "Closing session "
                  + session.getId()
                  + " of "
                  + userOf(socket.client())
                  + ": more than "
                  + most
                  + " frames a second");
      Closer.close(
          session, CloseCodes.VIOLATED_POLICY, "too many frames: at most " + most + " a second");
    }
  }

  /**
   * A fresh token of the same user and groups, sent before the session's expires: the session lasts
   * until the new one's expiry instead of closing. Another user or other groups need a new session
   * (the routing is the sign-in's); a token that does not verify changes nothing.
   */
  private void extend(Session session, WebSocketClient client, ClientFrame frame) {
    Identity fresh;
    try {
      fresh = services.tokens().verifier().verify(frame.token());
    } catch (BadFrameException | InvalidTokenException e) {
      client.deliver(ServerFrames.error("invalid-token", e.getMessage()));
      return;
    }
    if (!fresh.user().equals(client.user()) || !fresh.groups().equals(client.groups())) {
      client.deliver(
          ServerFrames.error(
              "already-authenticated",
              "a token of another user or other groups needs a new connection"));
      return;
    }
    socket.cancelDeadline();
    socket.deadline(Deadlines.tokenExpiry(services.timers(), session, socket, fresh));
    if (socket.closed()) {
      socket.cancelDeadline();
      return;
    }
    client.deliver(ServerFrames.extended(fresh));
  }

  private static void tooManyEarly(Session session) {
    Closer.close(
        session,
        CloseCodes.VIOLATED_POLICY,
        "more than " + EarlyFrames.MAX + " frames before the welcome");
  }

  private void refuse(Session session, String code, String message) {
    WebSocketClient client = socket.client();
    if (client == null) {
      Closer.close(session, CloseCodes.VIOLATED_POLICY, message);
    } else {
      client.deliver(ServerFrames.error(code, message));
    }
  }

  /**
   * The outbox gave up on the session: it leaves the registry at once, and is closed on a worker
   * thread. Never here: this runs on the thread that was sending (a delivery lane) or inside the
   * container's send completion, which on Tyrus holds the connection's writer lock; Tyrus' close
   * takes the protocol handler's lock and then the writer's, so a close from here can deadlock with
   * a close of the same session on the other thread, and a stuck lane starves every member after
   * it.
   */
  private void broken(Session session, String reason, Throwable cause) {
    WebSocketClient gone = socket.client();
    if (gone != null) {
      services.registry().remove(gone);
    }
    if (cause == null) {
      LOG.info(() -> "Closing session " + session.getId() + " of " + userOf(gone) + ": " + reason);
    } else {
      LOG.log(Level.FINE, "Closing session " + session.getId() + ": " + reason, cause);
    }
    CloseCodes code = cause == null ? CloseCodes.TRY_AGAIN_LATER : CloseCodes.UNEXPECTED_CONDITION;
    String told = cause == null ? reason : "send failed";
    try {
      services.workers().execute(() -> Closer.close(session, code, told));
    } catch (RejectedExecutionException e) {
      // Stopping: the container closes what is left.
      LOG.log(Level.FINE, "Could not close session " + session.getId() + " on a worker", e);
    }
  }

  private static String userOf(WebSocketClient client) {
    return client == null ? "(unauthenticated)" : client.user();
  }
}
