package org.waterspout.it.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A Server-Sent Events client on the JDK's HttpClient that reads a stream as an EventSource does:
 * {@code event:}, {@code id:} and {@code data:} lines up to a blank line make an event, a line that
 * starts with {@code :} is a comment; each is recorded with the time it arrived. A response that is
 * no stream (a refusal) is kept whole, for its JSON body.
 */
public final class SseStream implements AutoCloseable {

  /**
   * One event: its name ({@code message} when it had no {@code event:} line), its own {@code id:}
   * (null without one), its data lines joined by newlines, and {@link System#nanoTime()} when its
   * closing blank line arrived.
   */
  public record Event(String name, String id, String data, long arrivedAt) {
    public JsonObject json() {
      return Json.createReader(new StringReader(data)).readObject();
    }
  }

  /** A comment line, without its colon and the one space after it. */
  public record Comment(String text, long arrivedAt) {}

  // HTTP/1.1, as EventSource behind a proxy: each stream a connection of its own, so closing the
  // client ends the response on the server.
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final List<Comment> comments = new CopyOnWriteArrayList<>();
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final CompletableFuture<String> ended = new CompletableFuture<>();
  private HttpResponse<?> response;
  private Flow.Subscription subscription;
  private boolean closed;

  // The event being read: only the line subscriber's thread touches these.
  private String name;
  private String id;
  private final List<String> data = new ArrayList<>();

  private SseStream() {}

  /**
   * GETs {@code pathAndQuery} (relative to {@link Server#HTTP}) with {@code headers} (name, value,
   * name, value, ...) and returns once the response's status and headers came.
   */
  public static SseStream get(String pathAndQuery, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(Server.HTTP.resolve(pathAndQuery))
            .header("Accept", "text/event-stream")
            .GET();
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    SseStream client = new SseStream();
    CompletableFuture<HttpResponse<Flow.Publisher<List<ByteBuffer>>>> answer =
        HTTP.sendAsync(request.build(), HttpResponse.BodyHandlers.ofPublisher());
    HttpResponse<Flow.Publisher<List<ByteBuffer>>> response;
    try {
      response = answer.get(WsClient.WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      answer.cancel(true);
      return fail("no response to GET " + pathAndQuery + " within " + WsClient.WAIT);
    }
    client.response = response;
    response.body().subscribe(HttpResponse.BodySubscribers.fromLineSubscriber(client.new Lines()));
    return client;
  }

  public int status() {
    return response.statusCode();
  }

  public HttpHeaders headers() {
    return response.headers();
  }

  /** The first value of the response header {@code name}, or null. */
  public String header(String name) {
    return response.headers().firstValue(name).orElse(null);
  }

  /** The next event, waiting up to {@link WsClient#WAIT}. */
  public Event next() throws InterruptedException {
    Event event = events.poll(WsClient.WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertNotNull(
        event, "no event within " + WsClient.WAIT + (ended.isDone() ? "; " + ended.join() : ""));
    return event;
  }

  /** The next event if one comes within {@code wait}; null otherwise. */
  public Event poll(Duration wait) throws InterruptedException {
    return events.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The next event, which must be named {@code name}. */
  public Event next(String name) throws InterruptedException {
    Event event = next();
    assertEquals(name, event.name(), event::toString);
    return event;
  }

  /** The next event, which must be a notification. */
  public Event nextNotification() throws InterruptedException {
    return next("notification");
  }

  /** The comments received so far. */
  public List<Comment> comments() {
    return List.copyOf(comments);
  }

  /** Waits for the server to end the response; returns how it ended, as seen here. */
  public String awaitEnd(Duration timeout) throws Exception {
    try {
      return ended.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return fail("the server did not end the response within " + timeout);
    }
  }

  /** The whole body, once the server ended the response (a refusal's JSON, say). */
  public String body() throws Exception {
    awaitEnd(WsClient.WAIT);
    return String.join("\n", lines);
  }

  /** {@link #body()} as a JSON object. */
  public JsonObject bodyJson() throws Exception {
    return Json.createReader(new StringReader(body())).readObject();
  }

  /** Drops the connection, as a browser tab that closes. */
  @Override
  public synchronized void close() {
    closed = true;
    if (subscription != null) {
      subscription.cancel();
    }
  }

  private synchronized void subscribed(Flow.Subscription s) {
    subscription = s;
    if (closed) {
      s.cancel();
    } else {
      s.request(Long.MAX_VALUE);
    }
  }

  private void line(String line, long at) {
    lines.add(line);
    if (line.isEmpty()) {
      dispatch(at);
      return;
    }
    if (line.startsWith(":")) {
      comments.add(new Comment(value(line.substring(1)), at));
      return;
    }
    int colon = line.indexOf(':');
    String field = colon < 0 ? line : line.substring(0, colon);
    String value = colon < 0 ? "" : value(line.substring(colon + 1));
    switch (field) {
      case "event" -> name = value;
      case "id" -> id = value;
      case "data" -> data.add(value);
      default -> {
        // retry, and fields the format does not know: ignored, as EventSource does.
      }
    }
  }

  private void dispatch(long at) {
    if (name != null || id != null || !data.isEmpty()) {
      events.add(new Event(name == null ? "message" : name, id, String.join("\n", data), at));
    }
    name = null;
    id = null;
    data.clear();
  }

  /** A field's value: without the one space that may follow the colon. */
  private static String value(String rest) {
    return rest.startsWith(" ") ? rest.substring(1) : rest;
  }

  private final class Lines implements Flow.Subscriber<String> {
    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscribed(s);
    }

    @Override
    public void onNext(String line) {
      line(line, System.nanoTime());
    }

    @Override
    public void onError(Throwable error) {
      ended.complete("failed: " + error);
    }

    @Override
    public void onComplete() {
      ended.complete("ended by the server");
    }
  }
}
