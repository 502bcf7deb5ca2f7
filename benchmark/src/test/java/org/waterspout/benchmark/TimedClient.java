package org.waterspout.benchmark;

import jakarta.json.Json;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A WebSocket client that stamps each notification with its arrival time, by id. */
final class TimedClient implements WebSocket.Listener, AutoCloseable {

  final Map<String, Long> arrivals = new ConcurrentHashMap<>();
  private final CompletableFuture<Void> welcomed = new CompletableFuture<>();
  private final StringBuilder partial = new StringBuilder();
  private volatile CountDownLatch expected = new CountDownLatch(0);
  private WebSocket socket;

  static TimedClient connect(HttpClient http, URI uri, String token) throws Exception {
    TimedClient client = new TimedClient();
    client.socket = http.newWebSocketBuilder().buildAsync(uri, client).get(30, TimeUnit.SECONDS);
    client.socket.sendText("{\"op\":\"auth\",\"token\":\"" + token + "\"}", true);
    client.welcomed.get(30, TimeUnit.SECONDS);
    return client;
  }

  void expect(int count) {
    expected = new CountDownLatch(count);
  }

  boolean await(Duration timeout) throws InterruptedException {
    return expected.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    long now = System.nanoTime();
    partial.append(data);
    if (last) {
      var frame = Json.createReader(new StringReader(partial.toString())).readObject();
      partial.setLength(0);
      switch (frame.getString("op")) {
        case "welcome" -> welcomed.complete(null);
        case "notification" -> {
          arrivals.put(frame.getString("id"), now);
          expected.countDown();
        }
        default -> {}
      }
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public void close() {
    socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
  }
}
