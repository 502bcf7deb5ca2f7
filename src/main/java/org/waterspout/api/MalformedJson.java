package org.waterspout.api;

import jakarta.json.JsonException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.waterspout.notification.Jsons;

/**
 * A request body that is not JSON is the client's mistake: 400 with what the parser said, not a
 * server error page with a stack trace.
 */
@Provider
public class MalformedJson implements ExceptionMapper<JsonException> {

  @Override
  public Response toResponse(JsonException exception) {
    return Response.status(Response.Status.BAD_REQUEST)
        .type(MediaType.APPLICATION_JSON)
        .entity(
            Jsons.PROVIDER
                .createObjectBuilder()
                .add("error", "the body is not valid JSON: " + exception.getMessage())
                .build())
        .build();
  }
}
