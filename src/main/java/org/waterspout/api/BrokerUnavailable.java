package org.waterspout.api;

import jakarta.jms.JMSRuntimeException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.waterspout.notification.Jsons;

/**
 * A send the broker could not take (it is down, or a failover to its backup is under way) is worth
 * trying again in a moment: 503 with {@code Retry-After} and what the broker said, not a server
 * error page with a stack trace.
 */
@Provider
public class BrokerUnavailable implements ExceptionMapper<JMSRuntimeException> {

  private static final Logger LOG = Logger.getLogger(BrokerUnavailable.class.getName());

  @Override
  public Response toResponse(JMSRuntimeException exception) {
    LOG.log(Level.WARNING, "A send to the broker failed; the caller was told to retry", exception);
    return Response.status(Response.Status.SERVICE_UNAVAILABLE)
        .header("Retry-After", "1")
        .type(MediaType.APPLICATION_JSON)
        .entity(
            Jsons.PROVIDER
                .createObjectBuilder()
                .add(
                    "error",
                    "the broker did not take the message, try again: " + exception.getMessage())
                .build())
        .build();
  }
}
