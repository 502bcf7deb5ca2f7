package org.waterspout.it.support;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A member of a group: a real WebSocket client that signs in, resumes its group's stream (from the
 * head the welcome gives the first time; on a reconnect, after the last offset it got, in a frame
 * sent right after its {@code auth}) and keeps the ids of the notifications it was given, in order,
 * without the group suffix the tests add to them.
 */
public final class StreamMember implements WebSocket.Listener {
  public final String user;
  private final String token;
  private final String suffix;
  private final List<String> ids = new ArrayList<>();
  private final Map<String, Long> offsets = new ConcurrentHashMap<>();
  private final StringBuilder partial = new StringBuilder();
  private volatile CompletableFuture<Void> welcomed;
  private volatile String stream;
  private volatile WebSocket socket;
  private volatile String ended = "open";

  public StreamMember(String user, String group) {
    this.user = user;
    this.suffix = "-" + group;
    this.token = Tokens.valid(user, group);
  }

  /** Connects, signs in and resumes; completes once welcomed. */
  public CompletableFuture<Void> connect(HttpClient http, String stream) {
    this.stream = stream;
    ended = "open";
    welcomed = new CompletableFuture<>();
    http.newWebSocketBuilder()
        .connectTimeout(Duration.ofSeconds(30))
        .buildAsync(Server.WEBSOCKET, this)
        .whenComplete(
            (ws, error) -> {
              if (error != null) {
                welcomed.completeExceptionally(error);
              } else {
                socket = ws;
                CompletableFuture<WebSocket> auth =
                    ws.sendText("{\"op\":\"auth\",\"token\":\"" + token + "\"}", true);
                Long offset = offsets.get(stream);
                if (offset != null) {
                  // Again: it knows where it stands, so it resumes at once, as the README asks,
                  // and the server keeps the frame until its welcome is out. (One send at a time:
                  // a second one before the first completed would fail.)
                  auth.thenCompose(sent -> sent.sendText(resume(stream, offset), true))
                      .whenComplete(
                          (sent, failed) -> {
                            if (failed != null) {
                              welcomed.completeExceptionally(failed);
                            }
                          });
                }
              }
            });
    return welcomed;
  }

  /** The ids received so far, in order (frames other than notifications as their JSON). */
  public synchronized List<String> ids() {
    return List.copyOf(ids);
  }

  /** How its last socket ended, as seen here ("open" while it is), for a failure's message. */
  public String ended() {
    return ended;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
    ended = "closed " + statusCode + " " + reason;
    return null;
  }

  @Override
  public void onError(WebSocket ws, Throwable error) {
    ended = "failed: " + error;
  }

  /** Drops the connection without a close frame, as a vanished client does. */
  public void abort() {
    socket.abort();
  }

  /** A resume of the group's stream alone: the user's own stream starts after its acked ones. */
  private static String resume(String stream, long after) {
    return "{\"op\":\"resume\",\"streams\":{\"" + stream + "\":" + after + "}}";
  }

  @Override
  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      handle(Json.createReader(new StringReader(partial.toString())).readObject(), ws);
      partial.setLength(0);
    }
    ws.request(1);
    return null;
  }

  private void handle(JsonObject frame, WebSocket ws) {
    switch (frame.getString("op")) {
      case "welcome" -> {
        if (!offsets.containsKey(stream)) {
          // The first time: live from the stream's head, as the welcome gives it.
          long head =
              frame
                  .getJsonObject("streams")
                  .getJsonObject(stream)
                  .getJsonNumber("offset")
                  .longValue();
          ws.sendText(resume(stream, head), true);
        }
        welcomed.complete(null);
      }
      case "notification" -> {
        synchronized (this) {
          String id = frame.getString("id");
          ids.add(id.endsWith(suffix) ? id.substring(0, id.length() - suffix.length()) : id);
        }
        offsets.put(frame.getString("stream"), frame.getJsonNumber("offset").longValue());
      }
      default -> {
        synchronized (this) {
          ids.add(frame.toString());
        }
      }
    }
  }
}
