package org.waterspout.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.JsonValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.waterspout.notification.Notification;
import org.waterspout.notification.NotificationAccepted;
import org.waterspout.notification.Recipients;

class NotificationRouterTest {

  record Recording(String id, String user, Set<String> groups, List<String> frames)
      implements ClientSession {
    @Override
    public void deliver(Outgoing frame) {
      frames.add(frame.text());
    }

    @Override
    public Instant openedAt() {
      return Instant.EPOCH;
    }

    @Override
    public int queued() {
      return 0;
    }

    @Override
    public void disconnect(String reason) {}
  }

  record Broken(String id, String user, Set<String> groups) implements ClientSession {
    @Override
    public void deliver(Outgoing frame) {
      throw new IllegalStateException("socket gone");
    }

    @Override
    public Instant openedAt() {
      return Instant.EPOCH;
    }

    @Override
    public int queued() {
      return 0;
    }

    @Override
    public void disconnect(String reason) {}
  }

  @Test
  void oneBrokenSessionDoesNotStopDeliveryToTheOthers() {
    NotificationRouter router = new NotificationRouter();
    router.registry = new SessionRegistry();
    router.stats = new DeliveryStats();
    var first = new Recording("1", "pro-42", Set.of(), new ArrayList<>());
    var last = new Recording("3", "pro-42", Set.of(), new ArrayList<>());
    router.registry.add(first);
    router.registry.add(new Broken("2", "pro-42", Set.of()));
    router.registry.add(last);
    var notification =
        new Notification(
            "n1",
            "t",
            new Recipients(Set.of("pro-42"), Set.of()),
            Optional.empty(),
            Optional.empty(),
            JsonValue.EMPTY_JSON_OBJECT,
            Instant.now());

    router.route(new NotificationAccepted(notification, "frame", System.nanoTime()));

    assertEquals(List.of("frame"), first.frames());
    assertEquals(List.of("frame"), last.frames());
    assertEquals(1, router.stats.figures().accepted());
  }
}
