package org.waterspout.push;

import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.waterspout.history.Ack;
import org.waterspout.history.SignIns;
import org.waterspout.history.Streams;
import org.waterspout.notification.InvalidNotificationException;
import org.waterspout.notification.Jsons;
import org.waterspout.notification.NotificationCodec;
import org.waterspout.push.ClientFrame.BadFrameException;
import org.waterspout.security.Identity;
import org.waterspout.security.InvalidTokenException;
import org.waterspout.security.Tickets;

/**
 * The HTTP side of the fallback transports, with the same tokens ({@code Authorization: Bearer
 * <JWT>}): one-time tickets for {@code EventSource} ({@code POST /api/tickets}), acknowledgements
 * ({@code POST /api/ack}, as the WebSocket's {@code ack} frame) and polling ({@code GET
 * /api/notifications?after=<cursor>&wait=<seconds>}).
 */
@Path("")
public class HttpTransportResource {

  /** The longest a poll may wait. */
  static final int MAX_WAIT_SECONDS = 60;

  /** A poll's wait when it names none. */
  static final int DEFAULT_WAIT_SECONDS = 25;

  @Inject HttpServices services;
  @Context HttpServletRequest request;

  @POST
  @Path("tickets")
  @Produces(MediaType.APPLICATION_JSON)
  public Response ticket(@HeaderParam("Authorization") String authorization) {
    Identity identity;
    try {
      identity = services.bearer(authorization);
    } catch (InvalidTokenException e) {
      return HttpAnswers.error(Response.Status.UNAUTHORIZED, "unauthorized", e.getMessage());
    }
    JsonObject ticket =
        Jsons.PROVIDER
            .createObjectBuilder()
            .add("ticket", services.tokens().tickets().issue(identity, Instant.now()))
            .add("expiresIn", Tickets.LIFETIME.toSeconds())
            .build();
    return Response.ok(ticket).header("Cache-Control", "no-store").build();
  }

  @POST
  @Path("ack")
  @Consumes(MediaType.WILDCARD)
  @Produces(MediaType.APPLICATION_JSON)
  public void ack(
      @HeaderParam("Authorization") String authorization,
      String body,
      @Suspended AsyncResponse answer) {
    Identity identity;
    Map<String, Long> numbers;
    try {
      identity = services.bearer(authorization);
    } catch (InvalidTokenException e) {
      answer.resume(
          HttpAnswers.error(Response.Status.UNAUTHORIZED, "unauthorized", e.getMessage()));
      return;
    }
    if (!services.settings().history().enabled()) {
      answer.resume(
          HttpAnswers.error(
              Response.Status.CONFLICT,
              "history-disabled",
              "this server keeps no history: ack is unavailable"));
      return;
    }
    try {
      numbers = ackedNumbers(identity, body);
    } catch (BadFrameException e) {
      answer.resume(HttpAnswers.error(Response.Status.BAD_REQUEST, "bad-request", e.getMessage()));
      return;
    }
    List<String> streams = new ArrayList<>(numbers.keySet());
    services
        .signIns()
        .read(
            new SignIns.Request(
                identity.user(),
                streams,
                read -> {
                  List<String> ahead = new ArrayList<>();
                  numbers.forEach(
                      (stream, seq) -> {
                        long latest = read.latest(stream);
                        if (seq > latest) {
                          ahead.add(stream + " is at " + latest + ", not " + seq);
                          seq = latest;
                        }
                        OptionalLong acked = read.acked(identity.user(), stream);
                        // A group stream the user has no acknowledgement of yet: the ack moves it
                        // on but claims nothing before (the user may have begun to follow it late).
                        boolean first = acked.isEmpty() && Streams.isGroup(stream);
                        long before = first ? seq : acked.orElse(0);
                        if (seq > before || first) {
                          services
                              .acks()
                              .add(
                                  new Ack(
                                      identity.user(),
                                      identity.groups(),
                                      stream,
                                      before,
                                      seq,
                                      false));
                        }
                      });
                  answer.resume(
                      ahead.isEmpty()
                          ? Response.noContent().build()
                          : HttpAnswers.error(
                              Response.Status.CONFLICT,
                              "ack-ahead",
                              "acknowledged up to the latest instead: "
                                  + String.join("; ", ahead)));
                },
                e ->
                    answer.resume(
                        HttpAnswers.error(
                            Response.Status.SERVICE_UNAVAILABLE,
                            "history-unavailable",
                            "history unavailable: try again later"))));
  }

  /** The numbers an ack body names, by stream; each a stream the token follows. */
  private static Map<String, Long> ackedNumbers(Identity identity, String body)
      throws BadFrameException {
    JsonObject json;
    try {
      json = NotificationCodec.parseObject(body == null ? "" : body);
    } catch (InvalidNotificationException e) {
      throw new BadFrameException("the body must be a JSON object: " + e.getMessage());
    }
    ClientFrame frame = new ClientFrame(ClientFrame.ACK, json);
    Map<String, Long> numbers = new LinkedHashMap<>();
    if (frame.has("seq")) {
      numbers.put(Streams.ofUser(identity.user()), frame.sequenceNumber("seq"));
    }
    for (Map.Entry<String, Long> stream : frame.streamNumbers("streams").entrySet()) {
      String name = stream.getKey();
      boolean followed =
          name.equals(Streams.ofUser(identity.user()))
              || identity.groups().stream().anyMatch(g -> Streams.ofGroup(g).equals(name));
      if (!followed) {
        throw new BadFrameException("ack names a stream this token does not follow: " + name);
      }
      numbers.put(name, stream.getValue());
    }
    if (numbers.isEmpty()) {
      throw new BadFrameException("ack needs 'seq' or 'streams': {\"seq\":42}");
    }
    return numbers;
  }

  @GET
  @Path("notifications")
  @Produces(MediaType.APPLICATION_JSON)
  public void poll(
      @HeaderParam("Authorization") String authorization,
      @QueryParam("after") String after,
      @QueryParam("wait") String wait,
      @Suspended AsyncResponse answer) {
    Identity identity;
    try {
      identity = services.bearer(authorization);
    } catch (InvalidTokenException e) {
      answer.resume(
          HttpAnswers.error(Response.Status.UNAUTHORIZED, "unauthorized", e.getMessage()));
      return;
    }
    if (!services.settings().history().enabled()) {
      answer.resume(
          HttpAnswers.error(
              Response.Status.CONFLICT,
              "history-disabled",
              "this server keeps no history, which polling reads: use /ws or /sse"));
      return;
    }
    int seconds;
    Map<String, Long> requested;
    try {
      seconds = waitSeconds(wait);
      requested =
          after == null || after.isBlank()
              ? Map.of()
              : HttpCursor.parse(after.strip(), Streams.ofUser(identity.user()));
    } catch (IllegalArgumentException e) {
      answer.resume(HttpAnswers.error(Response.Status.BAD_REQUEST, "bad-request", e.getMessage()));
      return;
    }
    PollClient client =
        new PollClient(
            identity, services, answer, services.signIn().following(identity), seconds > 0);
    services.opened(request);
    services.goingAway().opened(client);
    services
        .signIn()
        .register(
            client,
            client::isEnded,
            defaults -> {
              Map<String, Long> begin = client.beginAt(defaults, requested);
              client.start(
                  ServerFrames.welcome(
                      identity, client.id(), services.settings().maxFrameBytes(), defaults));
              client.beginStreams(begin, defaults);
              client.begun(defaults, Duration.ofSeconds(seconds));
            },
            client::historyUnavailable,
            client::tooManySessions);
  }

  private static int waitSeconds(String wait) {
    if (wait == null || wait.isBlank()) {
      return DEFAULT_WAIT_SECONDS;
    }
    try {
      int seconds = Integer.parseInt(wait.strip());
      if (seconds >= 0 && seconds <= MAX_WAIT_SECONDS) {
        return seconds;
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    throw new IllegalArgumentException(
        "wait must be a whole number of seconds from 0 to " + MAX_WAIT_SECONDS + ": " + wait);
  }
}
