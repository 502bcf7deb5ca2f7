package org.waterspout.it.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A real WebSocket client (the JDK's) that records every frame and the close. */
public final class WsClient implements WebSocket.Listener, AutoCloseable {

  /** How long a test waits for something that should happen. */
  public static final Duration WAIT = Duration.ofSeconds(20);

  /** A close frame from the server. */
  public record Closed(int code, String reason) {}

  private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
  private final CompletableFuture<Closed> closed = new CompletableFuture<>();
  private volatile long closedAt;
  private final StringBuilder partial = new StringBuilder();
  private volatile boolean stalled;
  private WebSocket socket;

  private WsClient() {}

  public static WsClient connect() throws Exception {
    return connect(Server.WEBSOCKET);
  }

  public static WsClient connect(URI uri) throws Exception {
    WsClient client = new WsClient();
    client.socket =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .buildAsync(uri, client)
            .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    return client;
  }

  /** Connects and authenticates; returns the welcome frame. */
  public static WsClient signedIn(String token) throws Exception {
    return signedIn(token, false);
  }

  /** Signs in; with {@code stall}, the client stops reading right after the welcome frame. */
  public static WsClient signedIn(String token, boolean stall) throws Exception {
    WsClient client = connect();
    client.stalled = stall;
    JsonObject welcome = client.authenticate(token);
    assertEquals("welcome", welcome.getString("op"), welcome::toString);
    if (welcome.containsKey("seq")) {
      // Live from now: what came before this sign-in is not this test's (HistoryIT tests that).
      var streams = Json.createObjectBuilder();
      welcome
          .getJsonObject("streams")
          .forEach((name, at) -> streams.add(name, at.asJsonObject().getJsonNumber("offset")));
      client.send(
          Json.createObjectBuilder()
              .add("op", "resume")
              .add("after", welcome.getJsonNumber("seq"))
              .add("streams", streams)
              .build()
              .toString());
    }
    return client;
  }

  public JsonObject authenticate(String token) throws Exception {
    send(Json.createObjectBuilder().add("op", "auth").add("token", token).build().toString());
    return next();
  }

  public void send(String text) throws Exception {
    socket.sendText(text, true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  public void sendBinary(byte[] bytes) throws Exception {
    socket
        .sendBinary(java.nio.ByteBuffer.wrap(bytes), true)
        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  /** The next frame, waiting up to {@link #WAIT}. */
  public JsonObject next() throws InterruptedException {
    String frame = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertNotNull(frame, "no frame within " + WAIT + (closed.isDone() ? "; " + closed.join() : ""));
    return Json.createReader(new StringReader(frame)).readObject();
  }

  /** The next frame if one comes within {@code wait}; null otherwise. */
  public JsonObject poll(Duration wait) throws InterruptedException {
    String frame = frames.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    return frame == null ? null : Json.createReader(new StringReader(frame)).readObject();
  }

  /** The next notification frame; fails on any other frame in between. */
  public JsonObject nextNotification() throws InterruptedException {
    JsonObject frame = next();
    assertEquals("notification", frame.getString("op"), frame::toString);
    return frame;
  }

  /** Waits for the server to close the connection. */
  public Closed awaitClose(Duration timeout) throws Exception {
    try {
      return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      return fail("server did not close the connection within " + timeout);
    }
  }

  /**
   * Stops reading from the socket after the frame being handled, like a client on a dead slow link:
   * the server's writes back up through TCP into its outbox.
   */
  public void stopReading() {
    stalled = true;
  }

  /** Reads again. */
  public void resumeReading() {
    stalled = false;
    socket.request(1);
  }

  /** Frames received and not yet taken. */
  public int pending() {
    return frames.size();
  }

  public boolean isClosed() {
    return closed.isDone();
  }

  /** {@link System#nanoTime()} when the close came (or the connection failed); 0 while open. */
  public long closedAt() {
    return closedAt;
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      frames.add(partial.toString());
      partial.setLength(0);
    }
    if (!stalled) {
      webSocket.request(1);
    }
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closedAt = System.nanoTime();
    closed.complete(new Closed(statusCode, reason));
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closedAt = System.nanoTime();
    closed.complete(new Closed(1006, String.valueOf(error)));
  }

  /** Drops the TCP connection without a close frame, like a laptop lid closing. */
  public void abort() {
    socket.abort();
  }

  @Override
  public void close() {
    if (!socket.isOutputClosed()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
    }
    socket.abort();
  }
}
