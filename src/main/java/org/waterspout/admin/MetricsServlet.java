package org.waterspout.admin;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.Unit;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.function.ToDoubleFunction;
import org.waterspout.security.Defences;

/**
 * {@code /metrics}: WaterSpout's figures in the Prometheus text format (version 0.0.4, or
 * OpenMetrics when the scraper asks for it), the same on every server, written by Micrometer's
 * Prometheus registry, which lives in the WAR: no server's metrics module is used. Latency and
 * frame sizes are histograms with fixed buckets, so instances can be summed. Counts only, nothing
 * about who is online, so it needs no login, like the servers' own metrics endpoints.
 */
@WebServlet("/metrics")
public class MetricsServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  /** Bucket bounds around the targets (p50 2 ms, p99 10 ms, a broadcast's last 150 ms). */
  static final double[] LATENCY_SECONDS = {
    0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10
  };

  /** Bucket bounds from a small control-sized frame to twice the default 64 KiB message limit. */
  static final double[] FRAME_BYTES = {
    128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536, 131072
  };

  @Inject transient Administration administration;
  @Inject transient Defences defences;
  private transient PrometheusMeterRegistry registry;

  @Override
  public void init() {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Administration admin = administration;
    gauge(
        "waterspout.sessions.open",
        "Open, authenticated sessions: WebSocket, SSE streams and waiting long polls.",
        admin,
        a -> a.openSessions());
    gauge(
        "waterspout.users.online",
        "Users with at least one open session.",
        admin,
        a -> a.usersOnline());
    counter(
        "waterspout.messages.accepted",
        "Messages from the input queue accepted as notifications.",
        admin,
        a -> a.counts().accepted());
    counter(
        "waterspout.messages.rejected",
        "Messages moved to the rejected queue.",
        admin,
        a -> a.counts().rejected());
    counter(
        "waterspout.notifications.delivered",
        "Notification frames written to a session's socket.",
        admin,
        a -> a.counts().delivered());
    counter(
        "waterspout.notifications.dropped",
        "Notification frames lost with a slow or broken session.",
        admin,
        a -> a.counts().dropped());
    // Counters kept by other beans: inject the bean as a field like administration, then one
    // counter(name, help, bean, read) or gauge(...) line each here. A name "a.b" is written a_b,
    // and a counter's gets _total.
    admission(admin);
    for (Defences.Defence defence : Defences.Defence.values()) {
      FunctionCounter.builder("waterspout.refused", defences, d -> d.refusedBy(defence))
          .description(
              "Clients turned away by a defence: origin and address (403), address-rate and"
                  + " unauthenticated (429), frame-rate and user-sessions (closed with 1008).")
          .tag("reason", defence.label())
          .register(registry);
    }
    histograms();
  }

  /** The session limit and the handshakes refused (org.waterspout.admission), by reason. */
  private void admission(Administration admin) {
    gauge(
        "waterspout.sessions.limit", "The session limit.", admin, a -> a.admission().maxSessions());
    gauge(
        "waterspout.sessions.admitted",
        "Sessions counted against the limit: open sockets and handshakes under way.",
        admin,
        a -> a.admission().sessions());
    refused(admin, "capacity", a -> a.admission().refusedCapacity());
    refused(admin, "rate", a -> a.admission().refusedRate());
    refused(admin, "heap", a -> a.admission().refusedHeap());
  }

  private void refused(Administration admin, String reason, ToDoubleFunction<Administration> read) {
    FunctionCounter.builder("waterspout.handshakes.refused", admin, read)
        .description("WebSocket handshakes refused with 503, by reason.")
        .tag("reason", reason)
        .register(registry);
  }

  private void histograms() {
    registry
        .getPrometheusRegistry()
        .register(
            new PrometheusHistogram(
                "waterspout_delivery_latency_seconds",
                "Intake to socket, per delivered live notification frame.",
                Unit.SECONDS,
                1e-9,
                LATENCY_SECONDS,
                bounds -> administration.latency(bounds)));
    registry
        .getPrometheusRegistry()
        .register(
            new PrometheusHistogram(
                "waterspout_notification_frame_bytes",
                "UTF-8 size of each notification frame delivered, live or replayed.",
                Unit.BYTES,
                1,
                FRAME_BYTES,
                bounds -> administration.frameBytes(bounds)));
  }

  /** A gauge read at each scrape; it holds the bean (a CDI proxy) strongly. */
  private <T> void gauge(String name, String help, T bean, ToDoubleFunction<T> read) {
    Gauge.builder(name, bean, read).description(help).strongReference(true).register(registry);
  }

  /** A counter kept by {@code bean}, read at each scrape; this servlet's field keeps the bean. */
  private <T> void counter(String name, String help, T bean, ToDoubleFunction<T> read) {
    FunctionCounter.builder(name, bean, read).description(help).register(registry);
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String accept = request.getHeader("Accept");
    String format =
        accept != null && accept.contains("application/openmetrics-text")
            ? OpenMetricsTextFormatWriter.CONTENT_TYPE
            : PrometheusTextFormatWriter.CONTENT_TYPE;
    response.setContentType(format);
    response.setHeader("Cache-Control", "no-store");
    registry.scrape(response.getOutputStream(), format);
  }

  @Override
  public void destroy() {
    registry.close();
  }
}
