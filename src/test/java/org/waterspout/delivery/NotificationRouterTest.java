package org.waterspout.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.JsonValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.waterspout.history.NotificationStored;
import org.waterspout.history.Sequenced;
import org.waterspout.history.Stored;
import org.waterspout.notification.Notification;
import org.waterspout.notification.NotificationAccepted;
import org.waterspout.notification.Recipients;

class NotificationRouterTest {

  @Test
  void oneBrokenSessionDoesNotStopDeliveryToTheOthers() {
    NotificationRouter router = new NotificationRouter();
    router.registry = new SessionRegistry();
    router.stats = new DeliveryStats();
    List<String> first = new ArrayList<>();
    List<String> last = new ArrayList<>();
    router.registry.add(new TestSession("1", "pro-42", Set.of(), f -> first.add(f.text())));
    router.registry.add(
        new TestSession(
            "2",
            "pro-42",
            Set.of(),
            f -> {
              throw new IllegalStateException("socket gone");
            }));
    router.registry.add(new TestSession("3", "pro-42", Set.of(), f -> last.add(f.text())));
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

    assertEquals(List.of("frame"), first);
    assertEquals(List.of("frame"), last);
    assertEquals(1, router.stats.counts().accepted());
  }

  @Test
  void eachUsersSessionsGetTheFrameWithThatUsersSequenceNumber() {
    NotificationRouter router = new NotificationRouter();
    router.registry = new SessionRegistry();
    router.stats = new DeliveryStats();
    List<Outgoing> pro = new ArrayList<>();
    List<Outgoing> agent = new ArrayList<>();
    router.registry.add(new TestSession("1", "pro-42", Set.of(), pro::add));
    router.registry.add(new TestSession("2", "agent-7", Set.of("support"), agent::add));
    String frame = "{\"op\":\"notification\",\"id\":\"n1\"}";

    router.route(
        new NotificationStored(
            new Stored(
                "n1",
                frame,
                0,
                List.of(
                    new Sequenced("agent-7", 12),
                    new Sequenced("offline", 3),
                    new Sequenced("pro-42", 5))),
            System.nanoTime()));

    assertEquals(
        List.of("{\"op\":\"notification\",\"seq\":5,\"id\":\"n1\"}"),
        pro.stream().map(Outgoing::text).toList());
    assertEquals(5, pro.get(0).seq());
    assertEquals(12, agent.get(0).seq());
    assertEquals(1, router.stats.counts().accepted());
  }
}
