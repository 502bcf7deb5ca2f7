package org.waterspout.admin;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.ext.Provider;
import org.waterspout.notification.Jsons;

/**
 * The admin API checks the role itself as well. WEB-INF/web.xml's URL constraint is the first line;
 * this one holds whatever path spelling reached the resource (double slashes, dot segments, path
 * parameters), on every server.
 */
@Provider
@AdminOnly
public class AdminRoleFilter implements ContainerRequestFilter {

  /** The role WEB-INF/web.xml declares for the admin page and its API. */
  public static final String ROLE = "waterspout-admin";

  @Override
  public void filter(ContainerRequestContext request) {
    SecurityContext security = request.getSecurityContext();
    if (security.getUserPrincipal() == null) {
      request.abortWith(refusal(Response.Status.UNAUTHORIZED, "sign in as an admin"));
    } else if (!security.isUserInRole(ROLE)) {
      request.abortWith(refusal(Response.Status.FORBIDDEN, "only for the role " + ROLE));
    }
  }

  private static Response refusal(Response.Status status, String message) {
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON)
        .entity(Jsons.PROVIDER.createObjectBuilder().add("error", message).build())
        .build();
  }
}
