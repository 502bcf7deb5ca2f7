package org.waterspout.admin;

import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;
import java.util.function.Supplier;
import org.waterspout.admission.Admission;
import org.waterspout.delivery.DeliveryStats;
import org.waterspout.delivery.HistogramRecorder;
import org.waterspout.notification.Jsons;

/**
 * The admin page's API, {@code /api/admin}: the same figures and operations as the management
 * beans. The container admits only the {@code waterspout-admin} role (WEB-INF/web.xml). Changes
 * take JSON bodies or {@code DELETE}, which another site's page cannot send without a CORS
 * preflight that is never granted.
 */
@Path("admin")
@Produces(MediaType.APPLICATION_JSON)
@AdminOnly
public class AdminResource {

  @Inject Administration administration;
  @Inject ClusterFigures cluster;
  @Context SecurityContext security;

  /** Every instance's figures over the last ten minutes, and the live ones summed. */
  @GET
  @Path("cluster")
  public JsonObject cluster() {
    return cluster.view();
  }

  @GET
  @Path("overview")
  public JsonObject overview() {
    DeliveryStats.Counts figures = administration.counts();
    HistogramRecorder.Snapshot latency = administration.latency();
    HistogramRecorder.Snapshot frames = administration.frameBytes();
    Admission.Figures admission = administration.admission();
    return Jsons.PROVIDER
        .createObjectBuilder()
        .add("openSessions", administration.openSessions())
        .add("usersOnline", administration.usersOnline())
        .add("received", figures.received())
        .add("accepted", figures.accepted())
        .add("rejected", figures.rejected())
        .add("delivered", figures.delivered())
        .add("dropped", figures.dropped())
        .add(
            "latencyMillis",
            Jsons.PROVIDER
                .createObjectBuilder()
                .add("p50", latency.p50() / 1e6)
                .add("p90", latency.p90() / 1e6)
                .add("p99", latency.p99() / 1e6)
                .add("max", latency.max() / 1e6)
                .add("samples", latency.windowCount()))
        .add(
            "frameBytes",
            Jsons.PROVIDER
                .createObjectBuilder()
                .add("p50", frames.p50())
                .add("p99", frames.p99())
                .add("max", frames.max()))
        .add(
            "admission",
            Jsons.PROVIDER
                .createObjectBuilder()
                .add("maxSessions", admission.maxSessions())
                .add("sessions", admission.sessions())
                .add("heapPercent", admission.heapPercent())
                .add("heapWatermarkPercent", admission.heapWatermarkPercent())
                .add("refusedCapacity", admission.refusedCapacity())
                .add("refusedRate", admission.refusedRate())
                .add("refusedHeap", admission.refusedHeap()))
        .add("since", figures.since().toString())
        .add("admin", security.getUserPrincipal().getName())
        .build();
  }

  @GET
  @Path("users/{user}/sessions")
  public Response sessions(@PathParam("user") String user) {
    return attempt(
        () -> {
          JsonArrayBuilder list = Jsons.PROVIDER.createArrayBuilder();
          for (SessionInfo s : administration.sessionsOf(user)) {
            list.add(
                Jsons.PROVIDER
                    .createObjectBuilder()
                    .add("id", s.getId())
                    .add("user", s.getUser())
                    .add("groups", Jsons.PROVIDER.createArrayBuilder(List.of(s.getGroups())))
                    .add("openedAt", s.getOpenedAt())
                    .add("queuedFrames", s.getQueuedFrames()));
          }
          return Jsons.PROVIDER
              .createObjectBuilder()
              .add("user", user)
              .add("sessions", list)
              .build();
        });
  }

  @DELETE
  @Path("users/{user}/sessions")
  public Response disconnect(@PathParam("user") String user) {
    return attempt(() -> reached("disconnected", administration.disconnect(user, admin())));
  }

  @POST
  @Path("users/{user}/test-notification")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response test(@PathParam("user") String user, JsonObject ignored) {
    return attempt(() -> reached("reached", administration.sendTest(user, admin())));
  }

  @POST
  @Path("announcements")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response announce(JsonObject request) {
    return attempt(
        () ->
            reached(
                "reached",
                administration.broadcast(text(request, "title"), text(request, "body"), admin())));
  }

  private String admin() {
    return "admin " + security.getUserPrincipal().getName();
  }

  private static String text(JsonObject request, String name) {
    JsonValue value = request == null ? null : request.get(name);
    if (value == null || value == JsonValue.NULL) {
      return null;
    }
    if (value instanceof JsonString s) {
      return s.getString();
    }
    throw new IllegalArgumentException(name + " must be a string");
  }

  private static JsonObject reached(String name, int count) {
    return Jsons.PROVIDER.createObjectBuilder().add(name, count).build();
  }

  private static Response attempt(Supplier<JsonObject> operation) {
    try {
      return Response.ok(operation.get()).build();
    } catch (IllegalArgumentException e) {
      throw new BadRequestException(
          Response.status(Response.Status.BAD_REQUEST)
              .type(MediaType.APPLICATION_JSON)
              .entity(Jsons.PROVIDER.createObjectBuilder().add("error", e.getMessage()).build())
              .build());
    }
  }
}
