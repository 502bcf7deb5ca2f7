package org.waterspout.push;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.Session;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.waterspout.config.Settings;
import org.waterspout.delivery.DeliveryStats;
import org.waterspout.delivery.SessionRegistry;
import org.waterspout.history.Ack;
import org.waterspout.history.Acks;
import org.waterspout.history.Cursor;
import org.waterspout.history.Reading;
import org.waterspout.history.SignInCursors;
import org.waterspout.history.SignIns;
import org.waterspout.history.Streams;
import org.waterspout.security.Identity;
import org.waterspout.security.TokenVerifier;
import org.waterspout.timing.Timers;
import org.waterspout.timing.Workers;

/**
 * What follows a socket's verified token, in order: its client and the streams it follows,
 * registered for live notifications; where its streams stand, read off the socket's thread in a
 * batch with other sign-ins ({@link SignIns}); then the welcome, the resume wait, the token's
 * deadline, and the frames that came meanwhile ({@link EarlyFrames}). Keeps nothing of its own:
 * each socket's state is its {@link NotificationEndpoint}'s.
 */
@ApplicationScoped
class SignInSequence {

  @Inject Settings settings;
  @Inject SessionRegistry registry;
  @Inject DeliveryStats stats;
  @Inject Reading reading;
  @Inject SignIns signIns;
  @Inject Acks acks;
  @Inject Workers workers;
  @Inject Timers timers;

  /** Signs in {@code identity} on the socket of {@code endpoint}. */
  void start(NotificationEndpoint endpoint, Session session, Identity identity) {
    boolean history = settings.history().enabled();
    List<String> streams = history ? streams(identity) : List.of();
    WebSocketClient authenticated =
        new WebSocketClient(
            session,
            identity,
            settings.outboxCapacity(),
            settings.sendTimeout(),
            (reason, cause) -> endpoint.broken(session, reason, cause),
            stats,
            history ? Optional.of(following(streams)) : Optional.empty());
    CursorFrames cursors =
        new CursorFrames(authenticated, history ? Optional.of(acks) : Optional.empty());
    endpoint.authenticated(authenticated, cursors);
    // Registered before the streams' cursors are read: whatever is numbered after that read is
    // pushed to this session, so a stream that starts at its last number misses nothing.
    registry.add(authenticated);
    if (endpoint.isClosed()) {
      // The socket closed while we authenticated; closed() may have run before client was set.
      registry.remove(authenticated);
      return;
    }
    if (!history) {
      signedIn(endpoint, session, authenticated, cursors, Map.of());
      return;
    }
    signIns.read(
        new SignIns.Request(
            identity.user(),
            streams,
            read ->
                signedIn(
                    endpoint,
                    session,
                    authenticated,
                    cursors,
                    startingPoints(identity, streams, read)),
            e -> {
              registry.remove(authenticated);
              Closer.close(
                  session, CloseCodes.TRY_AGAIN_LATER, "history unavailable: try again later");
            }));
  }

  /** The sign-in is read: welcome, then the streams, then the frames that came meanwhile. */
  private void signedIn(
      NotificationEndpoint endpoint,
      Session session,
      WebSocketClient authenticated,
      CursorFrames cursors,
      Map<String, Cursor> at) {
    cursors.signedIn(at);
    // Welcome first, then sent: no notification overtakes the welcome.
    authenticated.start(
        ServerFrames.welcome(
            authenticated.identity(), session.getId(), settings.maxFrameBytes(), at));
    if (!at.isEmpty()) {
      // On the timer's thread: beginDefault only hands the streams' reads to the workers.
      endpoint.waitingForResume(timers.after(settings.resumeWait(), cursors::beginDefault));
    }
    Instant end =
        authenticated.identity().expiresAt().plusSeconds(TokenVerifier.CLOCK_SKEW_SECONDS);
    endpoint.expiresAt(session, end);
    endpoint.early().release(text -> endpoint.handle(session, text));
    if (endpoint.isClosed()) {
      endpoint.stopSignedIn(authenticated);
    }
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
}
