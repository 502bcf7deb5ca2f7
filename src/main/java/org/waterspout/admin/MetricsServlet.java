package org.waterspout.admin;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import org.waterspout.admission.Admission;
import org.waterspout.delivery.DeliveryStats;
import org.waterspout.delivery.LatencyWindow;

/**
 * {@code /metrics}: WaterSpout's figures in the Prometheus text format (version 0.0.4), the same on
 * every server. Counts only, nothing about who is online, so it needs no login, like the servers'
 * own metrics endpoints.
 */
@WebServlet("/metrics")
public class MetricsServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  @Inject transient Administration administration;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    response.setContentType("text/plain; version=0.0.4; charset=utf-8");
    response.setHeader("Cache-Control", "no-store");
    DeliveryStats.Counts figures = administration.counts();
    LatencyWindow.Snapshot latency = administration.latency();
    PrintWriter out = response.getWriter();
    gauge(
        out,
        "waterspout_sessions_open",
        "Open, authenticated WebSocket sessions.",
        administration.openSessions());
    gauge(
        out,
        "waterspout_users_online",
        "Users with at least one open session.",
        administration.usersOnline());
    counter(
        out,
        "waterspout_messages_accepted_total",
        "Messages from the input queue accepted as notifications.",
        figures.accepted());
    counter(
        out,
        "waterspout_messages_rejected_total",
        "Messages moved to the rejected queue.",
        figures.rejected());
    counter(
        out,
        "waterspout_notifications_delivered_total",
        "Notification frames written to a session's socket.",
        figures.delivered());
    counter(
        out,
        "waterspout_notifications_dropped_total",
        "Notification frames lost with a slow or broken session.",
        figures.dropped());
    // Admission (org.waterspout.admission): the session limit and the refused handshakes.
    Admission.Figures admission = administration.admission();
    gauge(out, "waterspout_sessions_limit", "The session limit.", admission.maxSessions());
    gauge(
        out,
        "waterspout_sessions_admitted",
        "Sessions counted against the limit: open sockets and handshakes under way.",
        admission.sessions());
    String refused = "waterspout_handshakes_refused_total";
    out.print("# HELP " + refused + " WebSocket handshakes refused with 503, by reason.\n");
    out.print("# TYPE " + refused + " counter\n");
    out.print(refused + "{reason=\"capacity\"} " + admission.refusedCapacity() + "\n");
    out.print(refused + "{reason=\"rate\"} " + admission.refusedRate() + "\n");
    out.print(refused + "{reason=\"heap\"} " + admission.refusedHeap() + "\n");
    String latencyName = "waterspout_delivery_latency_seconds";
    out.print(
        "# HELP "
            + latencyName
            + " Intake to socket, per delivered notification frame;"
            + " quantiles over the last "
            + DeliveryStats.LATENCY_WINDOW
            + " deliveries.\n");
    out.print("# TYPE " + latencyName + " summary\n");
    quantile(out, latencyName, "0.5", latency.p50Nanos());
    quantile(out, latencyName, "0.9", latency.p90Nanos());
    quantile(out, latencyName, "0.99", latency.p99Nanos());
    out.print(latencyName + "_sum " + seconds(latency.sumNanos()) + "\n");
    out.print(latencyName + "_count " + latency.count() + "\n");
  }

  private static void gauge(PrintWriter out, String name, String help, long value) {
    metric(out, name, "gauge", help, value);
  }

  private static void counter(PrintWriter out, String name, String help, long value) {
    metric(out, name, "counter", help, value);
  }

  private static void metric(PrintWriter out, String name, String type, String help, long value) {
    out.print("# HELP " + name + " " + help + "\n");
    out.print("# TYPE " + name + " " + type + "\n");
    out.print(name + " " + value + "\n");
  }

  private static void quantile(PrintWriter out, String name, String quantile, long nanos) {
    out.print(name + "{quantile=\"" + quantile + "\"} " + seconds(nanos) + "\n");
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.6f", nanos / 1e9);
  }
}
