package org.waterspout.push;

import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import org.waterspout.delivery.Outbox;
import org.waterspout.delivery.Outgoing;
import org.waterspout.security.Identity;

/** An authenticated WebSocket session as delivery sees it: sends go through its outbox. */
final class WebSocketClient extends PushClient {

  private final Session session;
  private final RemoteEndpoint.Async remote;

  WebSocketClient(
      Session session,
      Identity identity,
      int outboxCapacity,
      Duration sendTimeout,
      Outbox.Failure whenBroken,
      Outbox.Monitor monitor,
      Optional<Following> following) {
    super(identity, outboxCapacity, whenBroken, monitor, following);
    this.session = session;
    this.remote = session.getAsyncRemote();
    remote.setSendTimeout(sendTimeout.toMillis());
  }

  @Override
  protected void send(Outgoing frame, Consumer<Throwable> done) {
    Thread thread = Thread.currentThread();
    ClassLoader own = thread.getContextClassLoader();
    thread.setContextClassLoader(LEAN_LOADER);
    Throwable failed;
    boolean completes;
    try {
      completes = !frame.isPing();
      failed = completes ? sendText(remote, frame, done) : sendPing(remote);
    } finally {
      thread.setContextClassLoader(own);
    }
    if (!completes) {
      done.accept(failed);
    }
  }

  /**
   * The thread's context class loader while a frame is handed to the container. On every send,
   * Tyrus restarts the session's idle timer by scheduling a task on the container's managed
   * scheduled executor, and Payara captures the thread's context for it with a {@code
   * ServiceLoader} scan over the context class loader ({@code ContextSetupProviderImpl
   * .saveContext}): over the application's class loader that reads every jar of the server, about a
   * millisecond a send, 19 s for one notification to 19,000 sessions (benchmark profile). Over the
   * platform class loader the scan costs microseconds; handing over a String needs no class of the
   * application, and elsewhere the swap costs nothing. {@link ContainerIdleTimer} moves that timer
   * off the managed executor altogether; this stays for a Tyrus whose field it cannot find.
   */
  private static final ClassLoader LEAN_LOADER = ClassLoader.getPlatformClassLoader();

  private static Throwable sendText(
      RemoteEndpoint.Async remote, Outgoing frame, Consumer<Throwable> done) {
    remote.sendText(
        frame.text(), result -> done.accept(result.isOK() ? null : result.getException()));
    return null;
  }

  private static Throwable sendPing(RemoteEndpoint.Async remote) {
    try {
      // Handed to the container at once on Tyrus and Undertow; sent in turn with the frames, as
      // on Undertow a ping started while a frame was being sent left that frame's send
      // unfinished (its completion never came, and the session received nothing more).
      remote.sendPing(java.nio.ByteBuffer.wrap(PING_PAYLOAD.clone()));
      return null;
    } catch (java.io.IOException e) {
      return e;
    }
  }

  private static final byte[] PING_PAYLOAD = {'w', 's'};

  @Override
  public String id() {
    return session.getId();
  }

  @Override
  public void disconnect(String reason) {
    // 1000: nothing is wrong with the client, which may reconnect (and authenticate again).
    Closer.close(session, CloseCodes.NORMAL_CLOSURE, reason);
  }
}
