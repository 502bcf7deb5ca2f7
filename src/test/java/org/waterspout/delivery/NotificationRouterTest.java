package org.waterspout.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.JsonValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.waterspout.history.NotificationNumbered;
import org.waterspout.history.Numbered;
import org.waterspout.history.Place;
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
    NotificationRouter router = router();
    List<Outgoing> pro = new ArrayList<>();
    List<Outgoing> agent = new ArrayList<>();
    router.registry.add(new TestSession("1", "pro-42", Set.of(), pro::add));
    router.registry.add(new TestSession("2", "agent-7", Set.of("support"), agent::add));

    route(
        router,
        Set.of("agent-7", "offline", "pro-42"),
        place("user:agent-7", 12),
        place("user:offline", 3),
        place("user:pro-42", 5));

    assertEquals(
        List.of("{\"op\":\"notification\",\"seq\":5,\"id\":\"n1\"}"),
        pro.stream().map(Outgoing::text).toList());
    assertEquals(5, pro.get(0).seq());
    assertEquals(12, agent.get(0).seq());
    assertEquals(1, router.stats.counts().accepted());
  }

  @Test
  void aGroupNotificationIsFramedOnceForEveryMember() {
    NotificationRouter router = router();
    List<Outgoing> frames = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      router.registry.add(new TestSession("s" + i, "pro-" + i, Set.of("support"), frames::add));
    }

    route(router, Set.of(), place("group:support", 7));

    assertEquals(50, frames.size());
    assertEquals(1, frames.stream().distinct().count(), "one shared frame");
    assertEquals(
        "{\"op\":\"notification\",\"stream\":\"group:support\",\"offset\":7,\"id\":\"n1\"}",
        frames.get(0).text());
  }

  @Test
  void aMemberAddressedTwiceGetsItOnceInItsFirstStreamAndPassesOverTheOthers() {
    NotificationRouter router = router();
    List<Outgoing> pro = new ArrayList<>();
    List<Outgoing> agent = new ArrayList<>();
    router.registry.add(new TestSession("1", "pro-42", Set.of("support"), pro::add));
    router.registry.add(new TestSession("2", "agent-7", Set.of("billing", "support"), agent::add));

    route(
        router,
        Set.of("pro-42"),
        place("user:pro-42", 3),
        place("group:billing", 9),
        place("group:support", 4));

    assertEquals(List.of(false, true), pro.stream().map(Outgoing::isSkip).toList());
    assertEquals(
        List.of("user:pro-42", "group:support"), pro.stream().map(Outgoing::stream).toList());
    assertEquals(List.of(false, true), agent.stream().map(Outgoing::isSkip).toList());
    assertEquals(
        List.of("group:billing", "group:support"), agent.stream().map(Outgoing::stream).toList());
  }

  private static NotificationRouter router() {
    NotificationRouter router = new NotificationRouter();
    router.registry = new SessionRegistry();
    router.stats = new DeliveryStats();
    return router;
  }

  private static Place place(String stream, long seq) {
    return new Place(stream, seq);
  }

  private static void route(NotificationRouter router, Set<String> users, Place... places) {
    String frame = "{\"op\":\"notification\",\"id\":\"n1\"}";
    router.route(
        new NotificationNumbered(
            new Numbered("n1", frame, 0, users, List.of(places), false), System.nanoTime()));
  }
}
