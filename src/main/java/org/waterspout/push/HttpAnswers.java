package org.waterspout.push;

import jakarta.json.JsonObject;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import org.waterspout.notification.Jsons;

/** The error answers of the HTTP transports: JSON with the reason, {@code code} for programs. */
final class HttpAnswers {

  private HttpAnswers() {}

  static JsonObject body(String code, String message) {
    return Jsons.PROVIDER.createObjectBuilder().add("error", message).add("code", code).build();
  }

  static void error(HttpServletResponse response, int status, String code, String message)
      throws IOException {
    response.setStatus(status);
    response.setHeader("Cache-Control", "no-store");
    response.setContentType("application/json");
    response.setCharacterEncoding("UTF-8");
    response.getWriter().print(body(code, message));
  }

  static void unauthorized(HttpServletResponse response, String message) throws IOException {
    response.setHeader("WWW-Authenticate", "Bearer");
    error(response, HttpServletResponse.SC_UNAUTHORIZED, "unauthorized", message);
  }

  static Response error(Response.Status status, String code, String message) {
    Response.ResponseBuilder answer =
        Response.status(status)
            .type(MediaType.APPLICATION_JSON)
            .header("Cache-Control", "no-store")
            .entity(body(code, message));
    if (status == Response.Status.UNAUTHORIZED) {
      answer.header("WWW-Authenticate", "Bearer");
    }
    return answer.build();
  }
}
