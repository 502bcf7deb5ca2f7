package org.waterspout.it.support;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * An HTTP client for the admin page and its API, signed in as a realm user of the server under test
 * (the test setup creates them: see ServerSetup), or as nobody.
 */
public final class Admin {

  /** In the waterspout-admin group. */
  public static final Admin ADMIN =
      new Admin(System.getProperty("it.admin.user"), System.getProperty("it.admin.password"));

  /** A realm user without the role. */
  public static final Admin NON_ADMIN =
      new Admin(System.getProperty("it.user.user"), System.getProperty("it.user.password"));

  public static final Admin ANONYMOUS = new Admin(null, null);

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String authorization;

  private Admin(String user, String password) {
    this.authorization =
        user == null
            ? null
            : "Basic "
                + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** A response: status, content type and body. */
  public record Reply(int status, String contentType, String body) {
    public JsonObject json() {
      return Json.createReader(new StringReader(body)).readObject();
    }
  }

  public Reply get(String path) throws Exception {
    return send(request(path).GET());
  }

  /** GET with an Accept header (content negotiation, as a metrics scraper does). */
  public Reply get(String path, String accept) throws Exception {
    return send(request(path).header("Accept", accept).GET());
  }

  /** GET of a path spelled exactly as given, not normalized (double slashes, dot segments). */
  public Reply getRaw(String path) throws Exception {
    return send(request(URI.create(Server.HTTP + path)).GET());
  }

  public Reply post(String path, String json) throws Exception {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  public Reply delete(String path) throws Exception {
    return send(request(path).DELETE());
  }

  /** GET of an absolute URL, without credentials (health endpoints). */
  public static Reply getUrl(String url) throws Exception {
    return send(ANONYMOUS.request(URI.create(url)).GET());
  }

  private HttpRequest.Builder request(String path) {
    return request(Server.HTTP.resolve(path));
  }

  private HttpRequest.Builder request(URI uri) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20));
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    return builder;
  }

  private static Reply send(HttpRequest.Builder request) throws Exception {
    HttpResponse<String> response =
        HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(
        response.statusCode(),
        response.headers().firstValue("Content-Type").orElse(""),
        response.body());
  }
}
