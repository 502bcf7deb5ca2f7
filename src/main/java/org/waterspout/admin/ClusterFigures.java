package org.waterspout.admin;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.waterspout.cluster.Fanout;
import org.waterspout.cluster.FiguresHeard;
import org.waterspout.config.Settings;
import org.waterspout.delivery.DeliveryStats;
import org.waterspout.delivery.HistogramRecorder;

/**
 * The admin page's cluster view: every {@link #EVERY} this instance takes a sample of its figures
 * (sessions, deliveries per second, latency percentiles, heap) and keeps the last ten minutes; with
 * the fan-out on, it publishes that series on the fan-out topic, and keeps the series every other
 * instance publishes, so any instance's admin page shows them all side by side, summed and over
 * time. One small message per instance every five seconds, whatever the load.
 */
@ApplicationScoped
public class ClusterFigures {

  static final Duration EVERY = Duration.ofSeconds(5);

  /** Ten minutes of samples. */
  static final int KEPT = 120;

  /** Three samples missed. */
  static final Duration SILENT_AFTER = EVERY.multipliedBy(3);

  private static final Logger LOG = Logger.getLogger(ClusterFigures.class.getName());

  @Inject Administration administration;
  @Inject Settings settings;
  @Inject Fanout fanout;

  @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
  ManagedScheduledExecutorService scheduler;

  private final InstanceFigures figures = new InstanceFigures(KEPT, SILENT_AFTER);
  private volatile Future<?> sampling;
  private volatile String name;
  private long lastDelivered = -1;
  private long lastAt;

  void start(@Observes @Initialized(ApplicationScoped.class) Object started) {
    name = settings.instanceName().orElseGet(ClusterFigures::defaultName);
    sampling =
        scheduler.scheduleAtFixedRate(
            this::sampleQuietly, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
  }

  @PreDestroy
  void stop() {
    Future<?> running = sampling;
    if (running != null) {
      running.cancel(false);
    }
  }

  /** What the admin page draws: every instance's series, and the live ones summed. */
  public JsonObject view() {
    return InstanceFigures.json(figures.view(System.currentTimeMillis(), EVERY), EVERY);
  }

  void heard(@Observes FiguresHeard event) {
    try {
      figures.heard(InstanceFigures.read(event.text()), System.currentTimeMillis());
    } catch (IllegalArgumentException e) {
      LOG.log(Level.FINE, "Ignored figures another instance published", e);
    }
  }

  private void sampleQuietly() {
    try {
      sample();
    } catch (RuntimeException e) {
      // A periodic task that throws is never run again.
      LOG.log(Level.WARNING, "Sampling this instance's figures failed", e);
    }
  }

  private synchronized void sample() {
    long now = System.currentTimeMillis();
    DeliveryStats.Counts counts = administration.counts();
    HistogramRecorder.Snapshot latency = administration.latency();
    double perSecond =
        lastDelivered < 0 || now <= lastAt
            ? 0
            : (counts.delivered() - lastDelivered) * 1000.0 / (now - lastAt);
    lastDelivered = counts.delivered();
    lastAt = now;
    figures.own(
        fanout.instance(),
        name,
        new InstanceFigures.Sample(
            now,
            administration.openSessions(),
            perSecond,
            latency.p50() / 1e6,
            latency.p99() / 1e6,
            administration.admission().heapPercent()));
    fanout.publishFigures(
        InstanceFigures.write(
            new InstanceFigures.Published(
                fanout.instance(), name, figures.ownSamples(fanout.instance()))));
  }

  /** The host's name and this process's id: unique on one machine and across machines. */
  private static String defaultName() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "localhost";
    }
    return host + " (pid " + ManagementFactory.getRuntimeMXBean().getPid() + ")";
  }
}
