package org.waterspout.admission;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;

/**
 * Asks {@link Admission} before every WebSocket handshake on {@code /ws}, SSE stream on {@code
 * /sse} and long poll on {@code /api/notifications}, and refuses one it does not admit (at
 * capacity, or the application stopping) with 503 and {@code Retry-After}, before the container
 * upgrades the connection: a refused client costs a short HTTP exchange, not a session. Declared
 * filters run before the upgrade on Tyrus (Payara) and Undertow (WildFly) alike.
 */
@WebFilter(
    urlPatterns = {"/ws", "/sse", "/api/notifications"},
    asyncSupported = true)
public class HandshakeFilter extends HttpFilter {

  private static final long serialVersionUID = 1L;

  /**
   * The request attribute an HTTP transport (SSE, a long poll) sets, true, when the request became
   * a client that counts as a session, as an upgrade does for a WebSocket.
   */
  public static final String OPENED = "org.waterspout.admission.opened";

  @Inject transient Admission admission;

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (!isUpgrade(request) && !isStreamed(request)) {
      chain.doFilter(request, response);
      return;
    }
    Optional<Refusal> refusal = admission.admit();
    if (refusal.isPresent()) {
      refuse(response, refusal.get());
      return;
    }
    boolean upgraded = false;
    try {
      chain.doFilter(request, response);
      upgraded =
          response.getStatus() == HttpServletResponse.SC_SWITCHING_PROTOCOLS
              || Boolean.TRUE.equals(request.getAttribute(OPENED));
    } finally {
      if (!upgraded) {
        // Refused by the container (bad version, wrong origin...): no socket will open.
        admission.handshakeFailed();
      }
    }
  }

  private void refuse(HttpServletResponse response, Refusal reason) throws IOException {
    response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
    response.setHeader("Retry-After", Integer.toString(admission.retryAfterSeconds(reason)));
    response.setHeader("Cache-Control", "no-store");
    response.setContentType("text/plain; charset=utf-8");
    response
        .getWriter()
        .print(
            reason == Refusal.STOPPING
                ? "WaterSpout is stopping on this instance: connect again\n"
                : "WaterSpout is at capacity (" + reason.label() + "): retry later\n");
  }

  /** An SSE stream or a long poll: held open like a socket, so admitted like one. */
  private static boolean isStreamed(HttpServletRequest request) {
    return "GET".equals(request.getMethod()) && !request.getServletPath().equals("/ws");
  }

  private static boolean isUpgrade(HttpServletRequest request) {
    String upgrade = request.getHeader("Upgrade");
    return upgrade != null && upgrade.trim().equalsIgnoreCase("websocket");
  }
}
