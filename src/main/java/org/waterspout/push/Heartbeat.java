package org.waterspout.push;

import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.Session;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.waterspout.timing.Timeout;
import org.waterspout.timing.Timer;

/**
 * The server's RFC 6455 pings to one session, every ping interval; a session that left {@value
 * #MISSED_PONGS} pings unanswered is closed with 1001 ({@code missed pongs}): its peer is gone (a
 * laptop lid closed, a NAT forgot the connection) though TCP has not noticed. Pongs are counted
 * here: Tyrus resets its idle timer on every ping it sends, so the container's idle timeout cannot
 * tell. The first ping comes between half an interval and one and a half after the socket opens, so
 * sessions that connected together do not ping together.
 *
 * <p>A beat that comes late by more than half an interval says this server stalled (a long
 * collection, a machine starved of CPU), not that the peer went: its pongs may be waiting unread in
 * the socket. Such a beat closes nothing; the next one, on time, decides.
 *
 * <p>Only a quiet session is pinged: authenticated, with nothing waiting or being sent. One whose
 * frames are under way is looked at instead ({@link Peer#busy}: a send stuck past the send timeout
 * ends it), as a ping would only queue behind them; its unanswered count stays as it was.
 */
final class Heartbeat {

  /** Unanswered pings after which the session is closed. */
  static final int MISSED_PONGS = 2;

  private static final Logger LOG = Logger.getLogger(Heartbeat.class.getName());

  /** What the heartbeat needs of the socket. */
  interface Peer {
    /** Authenticated, nothing waiting and nothing being sent: a ping goes out at once. */
    boolean quiet();

    void ping() throws IOException;

    /** At a beat that found the session not quiet: ends it if its send is stuck. */
    void busy();

    void close(String reason);
  }

  private final Timer timer;
  private final Duration interval;
  private final Peer peer;
  private final LongSupplier clock;
  private final AtomicInteger unanswered = new AtomicInteger();
  private volatile Timeout next;
  private volatile long dueAt;
  private volatile boolean stopped;

  Heartbeat(Timer timer, Duration interval, Peer peer) {
    this(timer, interval, peer, System::nanoTime);
  }

  /** With {@code clock} ({@link System#nanoTime()} or a test's) to tell a late beat. */
  Heartbeat(Timer timer, Duration interval, Peer peer, LongSupplier clock) {
    this.timer = timer;
    this.interval = interval;
    this.peer = peer;
    this.clock = clock;
  }

  /**
   * Pings {@code session} with {@code ping} while it is quiet ({@code quiet}); runs {@code busy} at
   * the beats that find it not quiet.
   */
  static Heartbeat of(
      Session session,
      Timer timer,
      Duration interval,
      BooleanSupplier quiet,
      Runnable ping,
      Runnable busy) {
    return new Heartbeat(
        timer,
        interval,
        new Peer() {
          @Override
          public boolean quiet() {
            return session.isOpen() && quiet.getAsBoolean();
          }

          @Override
          public void ping() {
            // Through the session's outbox, in turn with its frames (the timer's thread waits
            // for nothing).
            ping.run();
          }

          @Override
          public void busy() {
            busy.run();
          }

          @Override
          public void close(String reason) {
            Closer.close(session, CloseCodes.GOING_AWAY, reason);
          }
        });
  }

  /** Schedules the first ping, jittered. */
  void start() {
    start(0.5 + ThreadLocalRandom.current().nextDouble());
  }

  /** Schedules the first ping after {@code spread} intervals. */
  void start(double spread) {
    schedule(Duration.ofMillis((long) (interval.toMillis() * spread)));
  }

  /** A pong came (solicited or not): the peer is there. */
  void answered() {
    unanswered.set(0);
  }

  void stop() {
    stopped = true;
    Timeout pending = next;
    if (pending != null) {
      pending.cancel();
    }
  }

  private void beat() {
    if (stopped) {
      return;
    }
    boolean late = clock.getAsLong() - dueAt > interval.toNanos() / 2;
    if (unanswered.get() >= MISSED_PONGS && late) {
      // This server was stalled: the pongs may be unread. Not pinged again; the next beat decides.
      schedule(interval);
      return;
    }
    if (unanswered.get() >= MISSED_PONGS) {
      LOG.fine(() -> "Closing a session that answered none of " + MISSED_PONGS + " pings");
      peer.close("missed pongs");
      return;
    }
    if (peer.quiet()) {
      try {
        unanswered.incrementAndGet();
        peer.ping();
      } catch (IOException | RuntimeException e) {
        // The socket is going; its close comes through @OnClose.
        LOG.log(Level.FINE, "A ping failed", e);
      }
    } else {
      peer.busy();
    }
    schedule(interval);
  }

  private void schedule(Duration delay) {
    dueAt = clock.getAsLong() + delay.toNanos();
    Timeout timeout = timer.after(delay, this::beat);
    next = timeout;
    if (stopped) {
      // stop() ran between the check in beat() and here: it may have missed this one.
      timeout.cancel();
    }
  }
}
