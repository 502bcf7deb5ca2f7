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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.waterspout.admission.Admission;
import org.waterspout.config.Settings;
import org.waterspout.delivery.DeliveryStats;
import org.waterspout.delivery.SessionRegistry;
import org.waterspout.delivery.SessionStream;
import org.waterspout.history.Ack;
import org.waterspout.history.Acks;
import org.waterspout.history.Cursor;
import org.waterspout.history.Reading;
import org.waterspout.history.SignInCursors;
import org.waterspout.history.SignIns;
import org.waterspout.history.Streams;
import org.waterspout.notification.Utf8;
import org.waterspout.push.ClientFrame.BadFrameException;
import org.waterspout.security.Identity;
import org.waterspout.security.InvalidTokenException;
import org.waterspout.security.TokenKeys;
import org.waterspout.security.TokenVerifier;
import org.waterspout.timing.Timeout;
import org.waterspout.timing.Timers;
import org.waterspout.timing.Workers;

/**
 * The browser's connection at {@code /ws}. A new socket must authenticate with its first frame,
 * {@code {"op":"auth","token":"<JWT>"}}, within the auth timeout, or it is closed with 1008. Once
 * authenticated it receives {@code welcome}, then its notifications, until the token expires
 * (closed with 1008: reconnect with a fresh token) or either side closes. With the history on, the
 * client may then send {@code resume} and {@code ack} (see {@link CursorFrames}). A sign-in reads
 * where the session's streams stand off the socket's thread, in a batch with others ({@link
 * SignIns}), and writes nothing; frames that come meanwhile are handled after the welcome. The
 * server pings it every ping interval and closes it with 1001 after two unanswered pings ({@link
 * Heartbeat}); every socket counts against the session limit from its handshake to its close
 * ({@link Admission}).
 */
@ServerEndpoint("/ws")
public class NotificationEndpoint {

  private static final Logger LOG = Logger.getLogger(NotificationEndpoint.class.getName());

  @Inject Settings settings;
  @Inject SessionRegistry registry;
  @Inject DeliveryStats stats;
  @Inject TokenKeys tokens;
  @Inject Reading reading;
  @Inject SignIns signIns;
  @Inject Acks acks;
  @Inject Workers workers;
  @Inject Admission admission;
  @Inject Timers timers;

  // One instance per socket; the timer and the container's threads both touch these.
  private volatile WebSocketClient client;
  private volatile CursorFrames cursors;
  private volatile Timeout deadline;
  private volatile Timeout resumeWait;
  private volatile Heartbeat heartbeat;
  private volatile boolean closed;

  /** Frames that came while the sign-in was read (guarded by this); null once signed in. */
  private List<String> early = new ArrayList<>();

  /** Frames a client may send before its sign-in is read: a resume, an ack or two. */
  private static final int EARLY_FRAMES_MAX = 16;

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
            () -> client != null && client.idle(),
            () -> {
              WebSocketClient pinged = client;
              if (pinged != null) {
                pinged.ping();
              }
            });
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
      if (client != null && stillSigningIn(session, text)) {
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
      if (cursors.handle(frame)) {
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
      stop(gone);
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
    cancelDeadline();
    boolean history = settings.history().enabled();
    List<String> streams = history ? streams(identity) : List.of();
    WebSocketClient authenticated =
        new WebSocketClient(
            session,
            identity,
            settings.outboxCapacity(),
            settings.sendTimeout(),
            (reason, cause) -> broken(session, reason, cause),
            stats,
            history ? Optional.of(following(streams)) : Optional.empty());
    cursors = new CursorFrames(authenticated, history ? Optional.of(acks) : Optional.empty());
    client = authenticated;
    // Registered before the streams' cursors are read: whatever is numbered after that read is
    // pushed to this session, so a stream that starts at its last number misses nothing.
    registry.add(authenticated);
    if (closed) {
      // The socket closed while we authenticated; closed() may have run before client was set.
      registry.remove(authenticated);
      return;
    }
    if (!history) {
      signedIn(session, authenticated, Map.of());
      return;
    }
    signIns.read(
        new SignIns.Request(
            identity.user(),
            streams,
            read -> signedIn(session, authenticated, startingPoints(identity, streams, read)),
            e -> {
              registry.remove(authenticated);
              Closer.close(
                  session, CloseCodes.TRY_AGAIN_LATER, "history unavailable: try again later");
            }));
  }

  /** The sign-in is read: welcome, then the streams, then the frames that came meanwhile. */
  private void signedIn(Session session, WebSocketClient authenticated, Map<String, Cursor> at) {
    cursors.signedIn(at);
    // Welcome first, then sent: no notification overtakes the welcome.
    authenticated.start(
        ServerFrames.welcome(
            authenticated.identity(), session.getId(), settings.maxFrameBytes(), at));
    if (!at.isEmpty()) {
      // On the timer's thread: beginDefault only hands the streams' reads to the workers.
      resumeWait = timers.after(settings.resumeWait(), cursors::beginDefault);
    }
    Instant end =
        authenticated.identity().expiresAt().plusSeconds(TokenVerifier.CLOCK_SKEW_SECONDS);
    deadline =
        closeLater(
            session,
            Duration.between(Instant.now(), end),
            "token expired: reconnect with a fresh token",
            false);
    synchronized (this) {
      for (String text : early) {
        handle(session, text);
      }
      early = null;
    }
    if (closed) {
      cancelDeadline();
      stop(authenticated);
    }
  }

  /** True when the frame was kept for after the sign-in (or the client sent too many). */
  private synchronized boolean stillSigningIn(Session session, String text) {
    if (early == null) {
      return false;
    }
    if (early.size() == EARLY_FRAMES_MAX) {
      Closer.close(
          session,
          CloseCodes.VIOLATED_POLICY,
          "more than " + EARLY_FRAMES_MAX + " frames before the welcome");
    } else {
      early.add(text);
    }
    return true;
  }

  /** The user's own stream first, then its groups' in name order. */
  private static List<String> streams(Identity identity) {
    List<String> streams = new ArrayList<>();
    streams.add(Streams.ofUser(identity.user()));
    new TreeSet<>(identity.groups()).forEach(group -> streams.add(Streams.ofGroup(group)));
    return streams;
  }

  /**
   * Each stream's reader passes over what the session gets in a stream before it in {@code
   * streams}: the user's own, then the groups in name order (the router decides the same way).
   */
  private WebSocketClient.Following following(List<String> streams) {
    return new WebSocketClient.Following(
        streams,
        stream -> {
          List<String> before = streams.subList(0, streams.indexOf(stream));
          return (seq, limit) -> reading.after(stream, seq, limit, before);
        },
        // A delay of 0 runs as soon as a worker is free, as execute would.
        (task, delayMillis) -> workers.schedule(task, delayMillis, TimeUnit.MILLISECONDS));
  }

  /**
   * Where each stream starts by default: after the user's acknowledgement in it; a group stream the
   * user never acknowledged starts at its head, which is recorded (once) as where the user began to
   * follow it, so that what comes while it is away is kept for its next sign-in.
   */
  private Map<String, Cursor> startingPoints(
      Identity identity, List<String> streams, SignInCursors read) {
    Map<String, Cursor> at = new LinkedHashMap<>();
    for (String stream : streams) {
      long latest = read.latest(stream);
      OptionalLong acked = read.acked(identity.user(), stream);
      if (acked.isEmpty() && Streams.isGroup(stream)) {
        acks.add(new Ack(identity.user(), identity.groups(), stream, latest, true));
      }
      at.put(stream, new Cursor(latest, acked.orElse(Streams.isGroup(stream) ? latest : 0)));
    }
    return at;
  }

  private void stop(WebSocketClient gone) {
    Timeout wait = resumeWait;
    if (wait != null) {
      wait.cancel();
    }
    gone.streams().values().forEach(SessionStream::close);
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
