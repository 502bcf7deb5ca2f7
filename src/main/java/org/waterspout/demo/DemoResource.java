package org.waterspout.demo;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.Message;
import jakarta.jms.Queue;
import jakarta.jms.TextMessage;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;
import org.waterspout.config.JndiNames;
import org.waterspout.config.Settings;
import org.waterspout.notification.Jsons;
import org.waterspout.notification.RecipientNames;
import org.waterspout.security.TokenKeys;

/**
 * Demo-only endpoints: {@code POST /api/demo/token} mints a token for a user and groups, {@code
 * POST /api/demo/notifications} sends its body as a TextMessage to the input queue, exactly as the
 * order system would. Both answer 404 unless demo mode is on.
 */
@Path("demo")
@RequestScoped
public class DemoResource {

  private static final Duration TOKEN_LIFETIME = Duration.ofHours(8);
  private static final int MAX_SEND_CHARS = 1024 * 1024;

  /** The demo's reply queue: receipts of the messages the dispatcher page sends. */
  static final String RECEIPTS = "waterspout.demo.receipts";

  @Inject Settings settings;
  @Inject TokenKeys tokens;
  @Context HttpServletRequest request;

  @Resource(lookup = JndiNames.CONNECTION_FACTORY_REF)
  ConnectionFactory connectionFactory;

  @Resource(name = JndiNames.NOTIFICATIONS_QUEUE)
  Queue notifications;

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public JsonObject status() {
    requireDemo();
    return Jsons.PROVIDER.createObjectBuilder().add("demo", true).build();
  }

  @POST
  @Path("token")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public Response token(JsonObject request) {
    requireDemo();
    String user = request == null ? null : request.getString("user", null);
    if (!RecipientNames.isValid(user)) {
      return badRequest("'user' must be 1 to 200 characters without spaces");
    }
    JsonValue requested = request.getOrDefault("groups", JsonValue.EMPTY_JSON_ARRAY);
    if (!(requested instanceof JsonArray list)) {
      return badRequest("'groups' must be an array of names without spaces");
    }
    Set<String> groups = new LinkedHashSet<>();
    for (JsonValue group : list) {
      String name = group instanceof JsonString s ? s.getString() : null;
      if (!RecipientNames.isValid(name)) {
        return badRequest("'groups' must be an array of names without spaces");
      }
      groups.add(name);
    }
    Instant now = Instant.now();
    String token = tokens.issuer().issue(user, groups, now, TOKEN_LIFETIME);
    return Response.ok(
            Jsons.PROVIDER
                .createObjectBuilder()
                .add("token", token)
                .add("expiresAt", now.plus(TOKEN_LIFETIME).toString())
                .build())
        .build();
  }

  @POST
  @Path("notifications")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public Response send(String body, @QueryParam("receipt") boolean receipt) {
    requireDemo();
    if (body == null || body.length() > MAX_SEND_CHARS) {
      return badRequest("body must be 1 to " + MAX_SEND_CHARS + " characters");
    }
    // Sent as is, even if invalid: the demo shows how WaterSpout rejects bad messages too.
    try (JMSContext context = connectionFactory.createContext()) {
      TextMessage message = context.createTextMessage(body);
      if (receipt) {
        // Where WaterSpout sends the delivery receipt, as the order system would ask for one.
        message.setJMSReplyTo(context.createQueue(RECEIPTS));
      }
      context.createProducer().send(notifications, message);
      return Response.accepted(
              Jsons.PROVIDER
                  .createObjectBuilder()
                  .add("jmsMessageId", message.getJMSMessageID())
                  .build())
          .build();
    } catch (JMSException e) {
      throw new JMSRuntimeException(e.getMessage(), e.getErrorCode(), e);
    }
  }

  /**
   * The receipt of a message sent with {@code ?receipt=true}, waiting up to {@code wait} seconds
   * (at most 10) for it: its JSON, or 204 when none came (yet).
   */
  @GET
  @Path("receipts/{messageId}")
  @Produces(MediaType.APPLICATION_JSON)
  public Response receipt(
      @PathParam("messageId") String messageId, @QueryParam("wait") @DefaultValue("5") int wait) {
    requireDemo();
    if (!messageId.matches("[A-Za-z0-9:_.-]{1,100}")) {
      return badRequest("not a JMS message id: " + messageId);
    }
    try (JMSContext context = connectionFactory.createContext();
        JMSConsumer consumer =
            context.createConsumer(
                context.createQueue(RECEIPTS), "JMSCorrelationID = '" + messageId + "'")) {
      Message received = consumer.receive(Math.max(1, Math.min(wait, 10)) * 1000L);
      if (received == null) {
        return Response.noContent().build();
      }
      return Response.ok(received.getBody(String.class)).build();
    } catch (JMSException e) {
      throw new JMSRuntimeException(e.getMessage(), e.getErrorCode(), e);
    }
  }

  /**
   * Demo mode, and a request from this machine: Payara listens on every interface, and nobody on
   * the network may mint tokens. JSON-only bodies mean a page from another site cannot post here
   * without a CORS preflight, which is never granted.
   */
  private void requireDemo() {
    if (!settings.demoEnabled() || !isLoopback(request.getRemoteAddr())) {
      throw new NotFoundException();
    }
  }

  /** The servlet container gives the remote address as an IP literal. */
  static boolean isLoopback(String address) {
    return address != null
        && (address.startsWith("127.")
            || address.equals("::1")
            || address.equals("0:0:0:0:0:0:0:1")
            || address.startsWith("::ffff:127."));
  }

  private static Response badRequest(String message) {
    return Response.status(Response.Status.BAD_REQUEST)
        .type(MediaType.APPLICATION_JSON)
        .entity(Jsons.PROVIDER.createObjectBuilder().add("error", message).build())
        .build();
  }
}
