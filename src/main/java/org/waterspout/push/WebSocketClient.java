package org.waterspout.push;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;
import java.time.Duration;
import java.util.Set;
import org.waterspout.delivery.ClientSession;
import org.waterspout.delivery.Outbox;
import org.waterspout.security.Identity;

/** An authenticated WebSocket session as delivery sees it: sends go through its outbox. */
final class WebSocketClient implements ClientSession {

  private final Session session;
  private final Identity identity;
  private final Outbox outbox;

  WebSocketClient(
      Session session,
      Identity identity,
      int outboxCapacity,
      Duration sendTimeout,
      Outbox.Failure whenBroken) {
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
            whenBroken);
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
  public void deliver(String frame) {
    outbox.offer(frame);
  }
}
