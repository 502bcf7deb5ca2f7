package org.waterspout.push;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.waterspout.delivery.ClientSession;
import org.waterspout.delivery.Outbox;
import org.waterspout.delivery.Outgoing;
import org.waterspout.delivery.SessionStream;
import org.waterspout.delivery.StreamFrames;
import org.waterspout.security.Identity;

/**
 * An authenticated client as delivery sees it, whatever carries it (a WebSocket, an SSE response, a
 * long poll): frames go through its outbox, numbered ones through the stream they belong to, and
 * nothing goes out before {@link #start}.
 */
abstract class PushClient implements ClientSession {

  private final Identity identity;
  private final Outbox outbox;
  private final Map<String, SessionStream> streams;

  /** Frames delivered before {@link #start} (guarded by itself). */
  private final List<Outgoing> early = new ArrayList<>(0);

  private boolean started;

  private static final int EARLY_MAX = 16;
  private final Instant openedAt = Instant.now();

  PushClient(
      Identity identity,
      int outboxCapacity,
      Outbox.Failure whenBroken,
      Outbox.Monitor monitor,
      Optional<Following> following) {
    this.identity = identity;
    // The sink calls the subclass, which is complete by then: nothing is sent before start().
    this.outbox = new Outbox(outboxCapacity, this::send, whenBroken, monitor);
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

  /**
   * Hands one frame to the transport; {@code done} is told once it is written (null) or failed. One
   * at a time: the next comes after {@code done}.
   */
  protected abstract void send(Outgoing frame, Consumer<Throwable> done);

  /**
   * What a client needs to follow its streams.
   *
   * @param streams the streams it follows: its user's own first, then its groups'
   * @param sources each stream's history as this client reads it
   * @param tasks runs history reads off the caller's thread
   */
  record Following(
      List<String> streams,
      Function<String, SessionStream.Source> sources,
      SessionStream.Tasks tasks) {}

  /** The client's view of each stream it follows, by name; empty with the history off. */
  Map<String, SessionStream> streams() {
    return streams;
  }

  /** Nothing waiting and nothing being sent. */
  boolean idle() {
    return outbox.idle();
  }

  /**
   * Gives up on the client (told as an overflow is) when its send in flight has waited {@code
   * limit} or more: it stopped reading.
   */
  boolean giveUpIfStuck(Duration limit) {
    return outbox.giveUpIfStuck(System.nanoTime(), limit.toNanos());
  }

  /** Sends a keep-alive (an RFC 6455 ping, an SSE comment) after the frames already queued. */
  void ping() {
    outbox.offer(Outgoing.ping());
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

  /** Whether {@link #start} ran. */
  boolean started() {
    synchronized (early) {
      return started;
    }
  }

  Identity identity() {
    return identity;
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
}
