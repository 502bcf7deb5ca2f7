package org.waterspout.push;

import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.waterspout.delivery.ClientSession;
import org.waterspout.delivery.Outbox;
import org.waterspout.delivery.Outgoing;
import org.waterspout.delivery.SessionStream;
import org.waterspout.delivery.StreamFrames;
import org.waterspout.security.Identity;

/** An authenticated WebSocket session as delivery sees it: sends go through its outbox. */
final class WebSocketClient implements ClientSession {

  private final Session session;
  private final Identity identity;
  private final Outbox outbox;
  private final Map<String, SessionStream> streams;

  /** Frames delivered before {@link #start} (guarded by itself). */
  private final List<Outgoing> early = new ArrayList<>(0);

  private boolean started;

  private static final int EARLY_MAX = 16;
  private final Instant openedAt = Instant.now();

  WebSocketClient(
      Session session,
      Identity identity,
      int outboxCapacity,
      Duration sendTimeout,
      Outbox.Failure whenBroken,
      Outbox.Monitor monitor,
      Optional<Following> following) {
    this.session = session;
    this.identity = identity;
    RemoteEndpoint.Async remote = session.getAsyncRemote();
    remote.setSendTimeout(sendTimeout.toMillis());
    this.outbox =
        new Outbox(outboxCapacity, (frame, done) -> send(remote, frame, done), whenBroken, monitor);
    // Nothing goes out until start(): the session is registered before its welcome arrives.
    outbox.hold();
    Map<String, SessionStream> followed = new LinkedHashMap<>();
    following.ifPresent(
        f -> {
          SessionStream.Sink sink =
              new SessionStream.Sink() {
                @Override
                public boolean offer(Outgoing frame) {
                  return outbox.offer(frame);
                }

                @Override
                public int queued() {
                  return outbox.size();
                }
              };
          for (String name : f.streams()) {
            followed.put(
                name,
                new SessionStream(
                    new StreamFrames(name),
                    f.sources().apply(name),
                    f.tasks(),
                    sink,
                    SessionStream.Limits.forOutbox(outboxCapacity),
                    System::currentTimeMillis));
          }
        });
    this.streams = Collections.unmodifiableMap(followed);
  }

  private static void send(
      RemoteEndpoint.Async remote, Outgoing frame, java.util.function.Consumer<Throwable> done) {
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
      RemoteEndpoint.Async remote, Outgoing frame, java.util.function.Consumer<Throwable> done) {
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

  /** Nothing waiting and nothing being sent: a ping would go out at once. */
  boolean idle() {
    return outbox.idle();
  }

  /** Sends an RFC 6455 ping after the frames already queued. */
  void ping() {
    outbox.offer(Outgoing.ping());
  }

  /**
   * What a session needs to follow its streams.
   *
   * @param streams the streams it follows: its user's own first, then its groups'
   * @param sources each stream's history as this session reads it
   * @param tasks runs history reads off the caller's thread
   */
  record Following(
      List<String> streams,
      Function<String, SessionStream.Source> sources,
      SessionStream.Tasks tasks) {}

  /** The session's view of each stream it follows, by name; empty with the history off. */
  Map<String, SessionStream> streams() {
    return streams;
  }

  /**
   * Starts sending: the welcome first, then the control frames that came before it (an admin's
   * announcement), then everything after.
   */
  void start(String welcome) {
    synchronized (early) {
      outbox.offer(Outgoing.control(welcome));
      early.forEach(outbox::offer);
      early.clear();
      started = true;
    }
    outbox.release();
  }

  Identity identity() {
    return identity;
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
    if (frame.isNumbered()) {
      SessionStream stream = streams.get(frame.stream());
      if (stream != null) {
        stream.offer(frame);
      }
      return !outbox.hasFailed();
    }
    synchronized (early) {
      if (!started) {
        // Before the welcome: kept for after it (a few; a flood of announcements is dropped).
        return early.size() < EARLY_MAX && early.add(frame);
      }
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
