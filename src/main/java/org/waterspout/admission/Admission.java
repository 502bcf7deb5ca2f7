package org.waterspout.admission;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import org.waterspout.config.ConfigKeys;
import org.waterspout.config.Settings;

/**
 * Which WebSocket handshakes this instance takes, and the figures about it. {@link HandshakeFilter}
 * asks before each upgrade; the endpoint reports each socket that opens and closes. The session
 * limit is {@code waterspout.ws.max-sessions}, or {@link SessionBudget}'s when that is 0, and an
 * admin may change it while the server runs (admin page, JMX); it returns to the configured value
 * on restart.
 */
@ApplicationScoped
public class Admission {

  /** An upgraded handshake whose socket has not opened after this no longer counts. */
  static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

  private static final Logger LOG = Logger.getLogger(Admission.class.getName());

  private static final long WARN_EVERY_NANOS = Duration.ofMinutes(1).toNanos();

  @Inject Settings settings;

  private Gate gate;
  private volatile boolean stopping;
  private final AtomicLong warnedAt = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);

  @PostConstruct
  void create() {
    Settings.Protection protection = settings.protection();
    gate =
        new Gate(
            limit(protection.maxSessions()),
            new Handshakes(HANDSHAKE_TIMEOUT.toNanos(), System::nanoTime),
            new TokenBucket(protection.maxHandshakesPerSecond(), System::nanoTime),
            HeapWatermark.ofThisJvm(System::nanoTime)::percentUsed,
            protection.heapWatermarkPercent());
    LOG.info(
        () ->
            "WaterSpout takes at most "
                + gate.maxSessions()
                + " WebSocket sessions"
                + (protection.maxSessions() == 0
                    ? " (from the heap and the open-file limit; set "
                        + ConfigKeys.MAX_SESSIONS
                        + ")"
                    : ""));
  }

  void started(@Observes @Initialized(ApplicationScoped.class) Object event) {
    // Observing makes CDI create this bean at start-up, which logs the limit.
  }

  /** Admits a handshake, which counts from now on; or says why not. */
  public Optional<Refusal> admit() {
    if (stopping) {
      return Optional.of(Refusal.STOPPING);
    }
    Optional<Refusal> refusal = gate.admit();
    refusal.ifPresent(this::warn);
    return refusal;
  }

  /** An admitted handshake that did not end in an upgrade. */
  public void handshakeFailed() {
    gate.failed();
  }

  /** The application is stopping: from now on every handshake is refused. */
  public void stop() {
    stopping = true;
  }

  /** Whether {@link #stop} was called. */
  public boolean stopping() {
    return stopping;
  }

  /** A socket opened (the endpoint's {@code @OnOpen}). */
  public void opened() {
    gate.opened();
  }

  /** A socket closed (the endpoint's {@code @OnClose}); once per socket that opened. */
  public void closed() {
    gate.closed();
  }

  /**
   * Why new sessions are refused whatever the rate (the limit or the heap); empty when they are
   * not.
   */
  public Optional<Refusal> atCapacity() {
    return gate.capacityReason();
  }

  /** Seconds for the {@code Retry-After} of a refusal, jittered. */
  public int retryAfterSeconds(Refusal reason) {
    return reason.retryAfterSeconds(ThreadLocalRandom.current().nextDouble());
  }

  /**
   * Sets the session limit until the next restart; 0 returns to the default of {@link
   * SessionBudget}. Sessions already open beyond it stay open.
   */
  public void setMaxSessions(int limit, String by) {
    if (limit < 0) {
      throw new IllegalArgumentException("the session limit is 0 (the default) or more");
    }
    gate.maxSessions(limit(limit));
    LOG.info(() -> by + " set the session limit to " + gate.maxSessions());
  }

  /** The figures, for metrics, the admin page and the management bean. */
  public Figures figures() {
    return new Figures(
        gate.maxSessions(),
        gate.sessions(),
        gate.open(),
        gate.heapPercent(),
        gate.heapWatermarkPercent(),
        gate.refused(Refusal.CAPACITY),
        gate.refused(Refusal.RATE),
        gate.refused(Refusal.HEAP));
  }

  /**
   * @param maxSessions the session limit now
   * @param sessions what counts against it: open sockets and handshakes under way
   * @param openSockets open sockets, authenticated or not yet
   * @param heapPercent the old generation's use after the last collection
   * @param heapWatermarkPercent past which handshakes are refused
   * @param refusedCapacity handshakes refused at the limit
   * @param refusedRate handshakes refused above the rate
   * @param refusedHeap handshakes refused above the heap watermark
   */
  public record Figures(
      int maxSessions,
      int sessions,
      int openSockets,
      int heapPercent,
      int heapWatermarkPercent,
      long refusedCapacity,
      long refusedRate,
      long refusedHeap) {}

  private static int limit(int configured) {
    return configured > 0 ? configured : SessionBudget.forThisProcess();
  }

  private void warn(Refusal reason) {
    long now = System.nanoTime();
    long last = warnedAt.get();
    if (now - last >= WARN_EVERY_NANOS && warnedAt.compareAndSet(last, now)) {
      Figures f = figures();
      LOG.warning(
          () ->
              "Refusing WebSocket handshakes ("
                  + reason.label()
                  + "): "
                  + f.sessions()
                  + " of "
                  + f.maxSessions()
                  + " sessions, heap "
                  + f.heapPercent()
                  + "% (watermark "
                  + f.heapWatermarkPercent()
                  + "%); refused so far: capacity "
                  + f.refusedCapacity()
                  + ", rate "
                  + f.refusedRate()
                  + ", heap "
                  + f.refusedHeap()
                  + " (logged at most once a minute)");
    }
  }
}
