package org.waterspout.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.waterspout.it.DeliveryIT.unique;

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
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.waterspout.it.support.MessageBody;
import org.waterspout.it.support.OrderSystem;
import org.waterspout.it.support.Server;
import org.waterspout.it.support.Tokens;

/**
 * A group of a few thousand signed-in members (as many as CI's time allows: {@code
 * it.scale.sessions}, 2000 by default): each gets each group notification exactly once, and those
 * that drop off and come back resume from their offset in the group's stream without a gap or a
 * duplicate. Exactly once is checked with a marker sent after: a duplicate would come before it.
 */
@ExtendWith(ArquillianExtension.class)
class GroupScaleIT {

  private static final int SESSIONS = Integer.getInteger("it.scale.sessions", 2000);
  private static final Duration WAIT = Duration.ofSeconds(120);

  @Deployment(testable = false)
  static WebArchive war() {
    return Server.builtWar();
  }

  @Test
  void everyMemberGetsEachGroupNotificationOnceAndResumesAfterADisconnect() throws Exception {
    String group = unique("crowd");
    String stream = "group:" + group;
    HttpClient http = HttpClient.newHttpClient();
    List<Member> members = new ArrayList<>();
    for (int i = 0; i < SESSIONS; i++) {
      members.add(new Member(unique("crowd-" + i), group));
    }
    connectAll(http, members, stream);
    try (OrderSystem orderSystem = new OrderSystem()) {
      send(orderSystem, group, "g1");
      send(orderSystem, group, "g2");
      awaitAll(members, 2);

      // A tenth drop off without a close frame; two notifications come while they are away.
      List<Member> away = members.subList(0, SESSIONS / 10);
      away.forEach(Member::abort);
      send(orderSystem, group, "g3");
      send(orderSystem, group, "g4");
      awaitAll(members.subList(away.size(), SESSIONS), 4);
      connectAll(http, away, stream);
      send(orderSystem, group, "g5");
      awaitAll(members, 5);
    }
    for (Member member : members) {
      assertEquals(
          List.of("g1", "g2", "g3", "g4", "g5"),
          member.ids(),
          () -> member.user + " " + member.ids());
    }
    members.forEach(Member::abort);
  }

  /**
   * In one JMSXGroupID, so the notifications are taken in, and numbered in the group's stream, in
   * the order sent (without one, two messages are taken in in parallel, in either order).
   */
  private static void send(OrderSystem orderSystem, String group, String id) throws Exception {
    jakarta.jms.Message message =
        orderSystem
            .context()
            .createTextMessage(MessageBody.ofType("t").id(id + "-" + group).groups(group).json());
    message.setStringProperty("JMSXGroupID", group);
    orderSystem.send(message, OrderSystem.newCase());
  }

  /** Connects (or reconnects) members, a hundred handshakes in flight at most. */
  private static void connectAll(HttpClient http, List<Member> members, String stream)
      throws Exception {
    Semaphore inFlight = new Semaphore(100);
    List<CompletableFuture<?>> welcomed = new ArrayList<>();
    for (Member member : members) {
      inFlight.acquire();
      CompletableFuture<?> done = member.connect(http, stream);
      done.whenComplete((ok, error) -> inFlight.release());
      welcomed.add(done);
    }
    CompletableFuture.allOf(welcomed.toArray(CompletableFuture[]::new))
        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  private static void awaitAll(List<Member> members, int count) {
    try {
      Awaitility.await()
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(250))
          .until(() -> members.stream().allMatch(m -> m.ids().size() >= count));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      Map<Integer, Long> byCount =
          members.stream()
              .collect(
                  java.util.stream.Collectors.groupingBy(
                      m -> m.ids().size(),
                      java.util.TreeMap::new,
                      java.util.stream.Collectors.counting()));
      Member short1 =
          members.stream().filter(m -> m.ids().size() < count).findFirst().orElseThrow();
      throw new AssertionError(
          "not every member got "
              + count
              + ": members by frames received "
              + byCount
              + "; e.g. "
              + short1.user
              + " "
              + short1.ids(),
          e);
    }
  }

  /** One member: a real WebSocket client that keeps the ids it was given, in order. */
  private static final class Member implements WebSocket.Listener {
    final String user;
    final String token;
    private final List<String> ids = new ArrayList<>();
    private final Map<String, Long> offsets = new ConcurrentHashMap<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile CompletableFuture<Void> welcomed;
    private volatile String stream;
    private volatile WebSocket socket;

    Member(String user, String group) {
      this.user = user;
      this.token = Tokens.valid(user, group);
    }

    CompletableFuture<Void> connect(HttpClient http, String stream) {
      this.stream = stream;
      welcomed = new CompletableFuture<>();
      http.newWebSocketBuilder()
          .connectTimeout(Duration.ofSeconds(30))
          .buildAsync(org.waterspout.it.support.Server.WEBSOCKET, this)
          .whenComplete(
              (ws, error) -> {
                if (error != null) {
                  welcomed.completeExceptionally(error);
                } else {
                  socket = ws;
                  ws.sendText("{\"op\":\"auth\",\"token\":\"" + token + "\"}", true);
                }
              });
      return welcomed;
    }

    synchronized List<String> ids() {
      return List.copyOf(ids);
    }

    void abort() {
      socket.abort();
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
          // First time: live from the stream's head; again: after the last offset it got.
          long after =
              offsets.getOrDefault(
                  stream,
                  frame
                      .getJsonObject("streams")
                      .getJsonObject(stream)
                      .getJsonNumber("offset")
                      .longValue());
          ws.sendText(
              "{\"op\":\"resume\",\"after\":"
                  + frame.getJsonNumber("seq")
                  + ",\"streams\":{\""
                  + stream
                  + "\":"
                  + after
                  + "}}",
              true);
          welcomed.complete(null);
        }
        case "notification" -> {
          synchronized (this) {
            ids.add(frame.getString("id").replaceFirst("-crowd.*", ""));
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
}
