package org.waterspout.admission;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import org.waterspout.config.Settings;
import org.waterspout.security.AddressLimits;
import org.waterspout.security.Defences;
import org.waterspout.security.Perimeter;

/**
 * Guards the client paths. Every request to them first passes the {@link Perimeter} (the IP lists,
 * with a trusted proxy's forwarding headers, and the allowed origins), or gets 403; a WebSocket or
 * SSE handshake then takes its address' allowance ({@link AddressLimits}), or gets 429. Then it
 * asks {@link Admission} before every WebSocket handshake on {@code /ws}, SSE stream on {@code
 * /sse} and long poll on {@code /api/notifications}, and refuses one it does not admit (at
 * capacity, or the application stopping) with 503 and {@code Retry-After}, before the container
 * upgrades the connection: a refused client costs a short HTTP exchange, not a session. Declared
 * filters run before the upgrade on Tyrus (Payara) and Undertow (WildFly) alike.
 */
@WebFilter(
    urlPatterns = {"/ws", "/sse", "/api/notifications", "/api/ack", "/api/tickets"},
    asyncSupported = true)
public class HandshakeFilter extends HttpFilter {

  private static final long serialVersionUID = 1L;

  private static final int TOO_MANY_REQUESTS = 429;

  /**
   * The request attribute an HTTP transport (SSE, a long poll) sets, true, when the request became
   * a client that counts as a session, as an upgrade does for a WebSocket.
   */
  public static final String OPENED = "org.waterspout.admission.opened";

  @Inject transient Admission admission;
  @Inject transient Defences defences;
  @Inject transient Settings settings;

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    Perimeter.Request seen = seen(request);
    Optional<Defences.Defence> outside = defences.perimeter().check(seen);
    if (outside.isPresent()) {
      forbid(response, outside.get());
      return;
    }
    boolean upgrade = isUpgrade(request);
    if (!upgrade && !isStreamed(request)) {
      chain.doFilter(request, response);
      return;
    }
    // The perimeter let it in: the client's address is known.
    InetAddress client = defences.perimeter().clientAddress(seen).orElseThrow();
    String ticket = null;
    if (upgrade || isEventStream(request)) {
      AddressLimits.Verdict verdict = defences.addressLimits().admit(client, upgrade);
      if (!verdict.admitted()) {
        tooMany(response, verdict.refused());
        return;
      }
      ticket = verdict.ticket();
    }
    try {
      admitted(upgrade ? HandshakeTicket.carry(request, ticket) : request, response, chain);
    } finally {
      if (ticket != null && response.getStatus() != HttpServletResponse.SC_SWITCHING_PROTOCOLS) {
        // No socket: it does not count as one waiting to sign in.
        defences.addressLimits().signedInOrGone(ticket);
      }
    }
  }

  private void admitted(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
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

  private void forbid(HttpServletResponse response, Defences.Defence reason) throws IOException {
    defences.refused(reason);
    response.setStatus(HttpServletResponse.SC_FORBIDDEN);
    response.setHeader("Cache-Control", "no-store");
    response.setContentType("text/plain; charset=utf-8");
    response
        .getWriter()
        .print(
            reason == Defences.Defence.ORIGIN
                ? "This origin may not connect to WaterSpout\n"
                : "This address may not connect to WaterSpout\n");
  }

  private void tooMany(HttpServletResponse response, AddressLimits.Refusal reason)
      throws IOException {
    boolean rate = reason == AddressLimits.Refusal.RATE;
    defences.refused(rate ? Defences.Defence.ADDRESS_RATE : Defences.Defence.UNAUTHENTICATED);
    response.setStatus(TOO_MANY_REQUESTS);
    // Sockets not signed in are gone within the auth timeout at the latest.
    response.setHeader("Retry-After", rate ? "1" : Long.toString(authTimeoutSeconds()));
    response.setHeader("Cache-Control", "no-store");
    response.setContentType("text/plain; charset=utf-8");
    response
        .getWriter()
        .print(
            rate
                ? "Too many connections from this address: at most "
                    + defences.addressLimits().handshakesPerSecond()
                    + " a second\n"
                : "Too many connections from this address that have not signed in: at most "
                    + defences.addressLimits().maxUnauthenticated()
                    + "\n");
  }

  private static Perimeter.Request seen(HttpServletRequest request) {
    return new Perimeter.Request(
        request.getRemoteAddr(),
        request.getHeader("Host"),
        request.getHeader("Origin"),
        headers(request, "Forwarded"),
        headers(request, "X-Forwarded-For"),
        headers(request, "X-Forwarded-Host"));
  }

  private static List<String> headers(HttpServletRequest request, String name) {
    Enumeration<String> values = request.getHeaders(name);
    return values == null ? List.of() : Collections.list(values);
  }

  private long authTimeoutSeconds() {
    return settings.authTimeout().toSeconds();
  }

  private static boolean isEventStream(HttpServletRequest request) {
    String path = request.getServletPath() + nullToEmpty(request.getPathInfo());
    return "GET".equals(request.getMethod()) && path.equals("/sse");
  }

  /** An SSE stream or a long poll: held open like a socket, so admitted like one. */
  private static boolean isStreamed(HttpServletRequest request) {
    String path = request.getServletPath() + nullToEmpty(request.getPathInfo());
    return "GET".equals(request.getMethod())
        && (path.equals("/sse") || path.equals("/api/notifications"));
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  private static boolean isUpgrade(HttpServletRequest request) {
    String upgrade = request.getHeader("Upgrade");
    return upgrade != null && upgrade.trim().equalsIgnoreCase("websocket");
  }
}
