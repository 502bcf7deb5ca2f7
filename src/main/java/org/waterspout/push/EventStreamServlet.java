package org.waterspout.push;

import jakarta.inject.Inject;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.waterspout.history.Cursor;
import org.waterspout.history.Streams;
import org.waterspout.security.Identity;
import org.waterspout.security.InvalidTokenException;
import org.waterspout.security.TokenVerifier;

/**
 * Server-Sent Events at {@code /sse}, for clients that cannot hold a WebSocket: the same tokens,
 * streams and cursor. Authenticated by {@code Authorization: Bearer <JWT>}, or, for {@code
 * EventSource} (which cannot set headers), by a one-time {@code ?ticket=} from {@code POST
 * /api/tickets}. Resumes after the {@code Last-Event-ID} header, else the {@code after} parameter,
 * else after the user's acknowledged notifications. Events: {@code welcome}, then {@code
 * notification} ({@code id:} the cursor after it), {@code gap} and {@code error}, each {@code
 * data:} the WebSocket frame's JSON; a comment every ping interval when nothing else went out. Acks
 * go to {@code POST /api/ack}.
 */
@WebServlet(urlPatterns = "/sse", asyncSupported = true)
public class EventStreamServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  @Inject transient HttpServices services;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Identity identity;
    try {
      identity = identify(request);
    } catch (InvalidTokenException e) {
      HttpAnswers.unauthorized(response, e.getMessage());
      return;
    }
    String after = request.getHeader("Last-Event-ID");
    if (after == null || after.isBlank()) {
      after = request.getParameter("after");
    }
    Map<String, Long> requested;
    try {
      requested =
          after == null || after.isBlank()
              ? Map.of()
              : HttpCursor.parse(after.strip(), Streams.ofUser(identity.user()));
    } catch (IllegalArgumentException e) {
      HttpAnswers.error(response, HttpServletResponse.SC_BAD_REQUEST, "bad-cursor", e.getMessage());
      return;
    }
    response.setStatus(HttpServletResponse.SC_OK);
    response.setContentType("text/event-stream");
    response.setCharacterEncoding("UTF-8");
    response.setHeader("Cache-Control", "no-cache, no-store");
    // nginx would otherwise buffer the stream; nothing here compresses it.
    response.setHeader("X-Accel-Buffering", "no");
    AsyncContext async = request.startAsync();
    async.setTimeout(0);
    SseClient client =
        new SseClient(
            identity,
            services,
            async,
            response.getOutputStream(),
            services.signIn().following(identity));
    async.addListener(client);
    services.opened(request);
    services.goingAway().opened(client);
    response.getOutputStream().setWriteListener(client);
    services
        .signIn()
        .register(
            client,
            client::isEnded,
            defaults -> begin(client, identity, defaults, requested),
            () ->
                client.finish(
                    ServerFrames.error(
                        "history-unavailable", "history unavailable: try again later")),
            why -> client.finish(ServerFrames.error("too-many-sessions", why)));
  }

  private void begin(
      SseClient client,
      Identity identity,
      Map<String, Cursor> defaults,
      Map<String, Long> requested) {
    if (client.finishing()) {
      // Gone, or told to go, while its streams were read.
      return;
    }
    Map<String, Long> begin = client.beginAt(defaults, requested);
    client.start(
        ServerFrames.welcome(identity, client.id(), services.settings().maxFrameBytes(), defaults));
    client.beginStreams(begin, defaults);
    client.beat(services.settings().protection().pingInterval());
    client.expireAt(
        Duration.between(
            Instant.now(), identity.expiresAt().plusSeconds(TokenVerifier.CLOCK_SKEW_SECONDS)));
  }

  private Identity identify(HttpServletRequest request) throws InvalidTokenException {
    String ticket = request.getParameter("ticket");
    if (ticket != null && request.getHeader("Authorization") == null) {
      Optional<Identity> taken = services.tokens().tickets().take(ticket, Instant.now());
      return taken.orElseThrow(
          () ->
              new InvalidTokenException(
                  "ticket unknown, expired or used: get a new one from POST"
                      + " /waterspout/api/tickets"));
    }
    return services.bearer(request.getHeader("Authorization"));
  }
}
