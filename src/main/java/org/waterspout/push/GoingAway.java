package org.waterspout.push;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.Session;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.waterspout.admission.Admission;
import org.waterspout.history.Intake;

/**
 * The graceful stop of an instance (undeploy, server stop, {@code SIGTERM}): from its first moment
 * handshakes are refused (503) and readiness is down, the message-driven bean stops holding
 * messages for a database that is away (they roll back, and the broker redelivers them to an
 * instance that stays), and every open socket is closed with 1001 ({@code server going away}), so
 * its browser reconnects at once, through the load balancer, to another instance and resumes from
 * its cursors: nothing is lost, as the history holds what was in flight. The stop waits up to
 * {@link #DRAIN} for the clients to answer the close, so the container does not cut the connections
 * under the close frames.
 *
 * <p>It starts on whichever comes first: the CDI container's {@code @BeforeDestroyed} of the
 * application scope (undeploy, and a stop on every server), or this application's JVM shutdown
 * hook, which runs at {@code SIGTERM} beside the server's own: Payara Micro's cuts every socket
 * without a close frame (1006) before it stops the application, so only the hook gets a close frame
 * out there. The hook is removed when the application stops, so an undeployed WAR leaves none
 * behind.
 */
@ApplicationScoped
public class GoingAway {

  static final String REASON = "server going away: connect again";

  /** How long the stop waits for the clients to answer the close frames. */
  static final Duration DRAIN = Duration.ofSeconds(5);

  private static final Logger LOG = Logger.getLogger(GoingAway.class.getName());

  @Inject Admission admission;
  @Inject Intake intake;

  private final Set<Session> open = ConcurrentHashMap.newKeySet();
  private final Set<Leaving> streams = ConcurrentHashMap.newKeySet();

  /** A client over HTTP (an SSE stream, a long poll) that a stopping instance ends. */
  interface Leaving {
    /** Tells the client to connect again (elsewhere), and ends it. */
    void goAway();
  }

  private final AtomicBoolean stopping = new AtomicBoolean();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile Thread hook;

  @PostConstruct
  void create() {
    Thread thread = new Thread(this::stop, "waterspout-going-away");
    try {
      Runtime.getRuntime().addShutdownHook(thread);
      hook = thread;
    } catch (IllegalStateException | SecurityException e) {
      LOG.log(Level.FINE, "No shutdown hook: sessions are closed when the application stops", e);
    }
  }

  void started(@Observes @Initialized(ApplicationScoped.class) Object event) {
    // Observing makes CDI create this bean at start-up, so its hook is there before any socket.
  }

  void stopping(@Observes @BeforeDestroyed(ApplicationScoped.class) Object event) {
    stop();
    Thread registered = hook;
    if (registered != null && registered != Thread.currentThread()) {
      try {
        Runtime.getRuntime().removeShutdownHook(registered);
      } catch (IllegalStateException e) {
        // The JVM is shutting down: the hook runs, or ran, and stop() waited for it.
      }
    }
  }

  /** A socket opened; one that opens while the instance stops is closed at once. */
  void opened(Session session) {
    open.add(session);
    if (stopping.get()) {
      Closer.close(session, CloseCodes.GOING_AWAY, REASON);
    }
  }

  /** A socket closed. */
  void closed(Session session) {
    open.remove(session);
  }

  /** An HTTP client began; one that begins while the instance stops is ended at once. */
  void opened(Leaving client) {
    streams.add(client);
    if (stopping.get()) {
      client.goAway();
    }
  }

  /** An HTTP client ended. */
  void left(Leaving client) {
    streams.remove(client);
  }

  /** Open sockets, authenticated or not. */
  int openSockets() {
    return open.size();
  }

  /** Stops taking sockets and closes those open; a second call waits for the first to finish. */
  void stop() {
    if (!stopping.compareAndSet(false, true)) {
      awaitStopped();
      return;
    }
    try {
      admission.stop();
      intake.stop();
      long start = System.nanoTime();
      int sockets = open.size();
      for (Session session : open) {
        Closer.close(session, CloseCodes.GOING_AWAY, REASON);
      }
      int answered = streams.size();
      streams.forEach(Leaving::goAway);
      long until = start + DRAIN.toNanos();
      while ((!open.isEmpty() || !streams.isEmpty()) && System.nanoTime() < until) {
        TimeUnit.MILLISECONDS.sleep(20);
      }
      int left = open.size();
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      LOG.info(
          () ->
              "Stopping: closed "
                  + (sockets - left)
                  + " of "
                  + sockets
                  + " WebSocket sessions with 1001 ("
                  + REASON
                  + ") in "
                  + millis
                  + " ms, and ended "
                  + answered
                  + " SSE streams and long polls"
                  + (left > 0
                      ? "; the container closes the " + left + " that did not answer"
                      : ""));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // The container is tearing the application down beside the shutdown hook.
      LOG.log(Level.FINE, "Closing the sessions of a stopping instance failed", e);
    } finally {
      stopped.countDown();
    }
  }

  private void awaitStopped() {
    try {
      if (!stopped.await(DRAIN.toMillis() + 1_000, TimeUnit.MILLISECONDS)) {
        LOG.fine("The stop that closes the sessions is still under way");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
