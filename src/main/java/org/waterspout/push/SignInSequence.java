package org.waterspout.push;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.Session;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.waterspout.config.Settings;
import org.waterspout.delivery.DeliveryStats;
import org.waterspout.delivery.Outbox;
import org.waterspout.delivery.SessionRegistry;
import org.waterspout.history.Ack;
import org.waterspout.history.Acks;
import org.waterspout.history.Cursor;
import org.waterspout.history.Reading;
import org.waterspout.history.SignInCursors;
import org.waterspout.history.SignIns;
import org.waterspout.history.Streams;
import org.waterspout.security.Defences;
import org.waterspout.security.Identity;
import org.waterspout.timing.Timers;
import org.waterspout.timing.Workers;

/**
 * What follows a socket's verified token, in order: its client and the streams it follows,
 * registered for live notifications; where its streams stand, read off the socket's thread in a
 * batch with other sign-ins ({@link SignIns}); then the welcome, the resume wait, the token's
 * deadline, and the frames that came meanwhile ({@link EarlyFrames}). Keeps nothing of its own:
 * each socket's state is its {@link SocketState}.
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
  @Inject Defences defences;

  /** One socket's sign-in while its cursors are read. */
  private record Pending(
      Session session,
      SocketState socket,
      Consumer<String> handle,
      WebSocketClient client,
      CursorFrames cursors) {}

  /**
   * Signs in {@code identity} on {@code session}, whose state is {@code socket}: {@code broken} is
   * told when its outbox gives up, {@code handle} is given the frames that came before the welcome.
   */
  void start(
      Session session,
      Identity identity,
      SocketState socket,
      Outbox.Failure broken,
      Consumer<String> handle) {
    WebSocketClient authenticated =
        new WebSocketClient(
            session,
            identity,
            settings.outboxCapacity(),
            settings.sendTimeout(),
            broken,
            stats,
            following(identity));
    boolean history = settings.history().enabled();
    CursorFrames cursors =
        new CursorFrames(authenticated, history ? Optional.of(acks) : Optional.empty());
    socket.authenticated(authenticated, cursors);
    Pending pending = new Pending(session, socket, handle, authenticated, cursors);
    register(
        authenticated,
        socket::closed,
        at -> signedIn(pending, at),
        () ->
            Closer.close(
                session, CloseCodes.TRY_AGAIN_LATER, "history unavailable: try again later"),
        why -> Closer.close(session, CloseCodes.VIOLATED_POLICY, why));
  }

  /**
   * Registers {@code client} for live notifications, then reads where its streams stand, off the
   * caller's thread in a batch with other sign-ins, and gives each stream's default starting point
   * to {@code signedIn} (empty with the history off); {@code unavailable} runs, with the client
   * taken out of the registry again, when the history cannot be read; {@code tooMany} is told why,
   * and nothing is registered, when the user already holds as many sessions on this instance as one
   * may. Nothing is registered when {@code closed} says the connection closed meanwhile.
   */
  void register(
      PushClient client,
      BooleanSupplier closed,
      Consumer<Map<String, Cursor>> signedIn,
      Runnable unavailable,
      Consumer<String> tooMany) {
    // Registered before the streams' cursors are read: whatever is numbered after that read is
    // pushed to this client, so a stream that starts at its last number misses nothing.
    int most = settings.access().maxSessionsPerUser();
    if (!registry.addWithin(client, most)) {
      defences.refused(Defences.Defence.USER_SESSIONS);
      tooMany.accept(
          "too many sessions: this user holds "
              + most
              + " on this instance already (close one, or share one between tabs)");
      return;
    }
    if (closed.getAsBoolean()) {
      // The connection closed while we authenticated; its close may have run before the add.
      registry.remove(client);
      return;
    }
    if (client.streams().isEmpty()) {
      signedIn.accept(Map.of());
      return;
    }
    Identity identity = client.identity();
    List<String> streams = List.copyOf(client.streams().keySet());
    signIns.read(
        new SignIns.Request(
            identity.user(),
            streams,
            read -> signedIn.accept(startingPoints(identity, streams, read)),
            e -> {
              registry.remove(client);
              unavailable.run();
            }));
  }

  /** The sign-in is read: welcome, then the streams, then the frames that came meanwhile. */
  private void signedIn(Pending pending, Map<String, Cursor> at) {
    WebSocketClient authenticated = pending.client();
    SocketState socket = pending.socket();
    pending.cursors().signedIn(at);
    // Welcome first, then sent: no notification overtakes the welcome.
    authenticated.start(
        ServerFrames.welcome(
            authenticated.identity(), pending.session().getId(), settings.maxFrameBytes(), at));
    if (!at.isEmpty()) {
      // On the timer's thread: beginDefault only hands the streams' reads to the workers.
      socket.waitingForResume(timers.after(settings.resumeWait(), pending.cursors()::beginDefault));
    }
    socket.deadline(
        Deadlines.tokenExpiry(timers, pending.session(), socket, authenticated.identity()));
    socket.early().release(pending.handle());
    if (socket.closed()) {
      socket.cancelDeadline();
      socket.stop(authenticated);
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
   * The streams a client of {@code identity} follows, empty with the history off. Each stream's
   * reader passes over what the client gets in a stream before it: the user's own, then the groups
   * in name order (the router decides the same way).
   */
  Optional<PushClient.Following> following(Identity identity) {
    if (!settings.history().enabled()) {
      return Optional.empty();
    }
    List<String> streams = streams(identity);
    return Optional.of(
        new PushClient.Following(
            streams,
            stream -> {
              List<String> before = streams.subList(0, streams.indexOf(stream));
              return (seq, limit) -> reading.after(stream, seq, limit, before);
            },
            // A delay of 0 runs as soon as a worker is free, as execute would.
            (task, delayMillis) -> workers.schedule(task, delayMillis, TimeUnit.MILLISECONDS)));
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
        acks.add(Ack.initial(identity.user(), identity.groups(), stream, latest));
      }
      at.put(stream, new Cursor(latest, acked.orElse(Streams.isGroup(stream) ? latest : 0)));
    }
    return at;
  }
}
