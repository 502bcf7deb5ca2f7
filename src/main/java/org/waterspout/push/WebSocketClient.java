package org.waterspout.push;

import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.waterspout.delivery.ClientSession;
import org.waterspout.delivery.Outbox;
import org.waterspout.delivery.Outgoing;
import org.waterspout.delivery.SessionStream;
import org.waterspout.security.Identity;

/** An authenticated WebSocket session as delivery sees it: sends go through its outbox. */
final class WebSocketClient implements ClientSession {

  private final Session session;
  private final Identity identity;
  private final Outbox outbox;
  private final SessionStream stream;
  private final Instant openedAt = Instant.now();

  WebSocketClient(
      Session session,
      Identity identity,
      int outboxCapacity,
      Duration sendTimeout,
      Outbox.Failure whenBroken,
      Outbox.Monitor monitor,
      Optional<Sequence> sequence) {
    this.session = session;
    this.identity = identity;
    RemoteEndpoint.Async remote = session.getAsyncRemote();
    remote.setSendTimeout(sendTimeout.toMillis());
    this.outbox =
        new Outbox(
            outboxCapacity,
            (frame, done) ->
                remote.sendText(
                    frame, result -> done.accept(result.isOK() ? null : result.getException())),
            whenBroken,
            monitor);
    // Nothing goes out until start(): the session is registered before its welcome arrives.
    outbox.hold();
    this.stream =
        sequence
            .map(
                seq ->
                    new SessionStream(
                        seq.source(),
                        seq.tasks(),
                        new SessionStream.Sink() {
                          @Override
                          public boolean offer(Outgoing frame) {
                            return outbox.offer(frame);
                          }

                          @Override
                          public int queued() {
                            return outbox.size();
                          }
                        },
                        SessionStream.Limits.forOutbox(outboxCapacity),
                        System::currentTimeMillis))
            .orElse(null);
  }

  /**
   * What a session needs to follow its user's sequence.
   *
   * @param source the user's history
   * @param tasks runs history reads off the caller's thread
   */
  record Sequence(SessionStream.Source source, SessionStream.Tasks tasks) {}

  /** The session's view of its user's sequence; empty with the history off. */
  Optional<SessionStream> stream() {
    return Optional.ofNullable(stream);
  }

  /** Starts sending: first whatever was queued before, in order. */
  void start() {
    outbox.release();
  }

  @Override
  public String id() {
    return session.getId();
  }

  @Override
  public String user() {
    return identity.user();
  }

  @Override
  public Set<String> groups() {
    return identity.groups();
  }

  @Override
  public Instant openedAt() {
    return openedAt;
  }

  @Override
  public int queued() {
    return outbox.size();
  }

  @Override
  public boolean deliver(Outgoing frame) {
    if (frame.isSequenced() && stream != null) {
      stream.offer(frame);
      return !outbox.hasFailed();
    }
    return outbox.offer(frame);
  }

  void deliver(String controlFrame) {
    outbox.offer(Outgoing.control(controlFrame));
  }

  @Override
  public void disconnect(String reason) {
    // 1000: nothing is wrong with the client, which may reconnect (and authenticate again).
    Closer.close(session, CloseCodes.NORMAL_CLOSURE, reason);
  }
}
