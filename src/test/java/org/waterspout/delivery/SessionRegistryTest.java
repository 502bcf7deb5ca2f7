package org.waterspout.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.waterspout.notification.Recipients;

class SessionRegistryTest {

  private final SessionRegistry registry = new SessionRegistry();

  @Test
  void routesToEverySessionOfAUserAndOfAGroupAndNobodyElse() {
    var tab1 = TestSession.idle("1", "pro-42", Set.of());
    var tab2 = TestSession.idle("2", "pro-42", Set.of());
    var agent = TestSession.idle("3", "sup-1", Set.of("support"));
    var bystander = TestSession.idle("4", "pro-7", Set.of("field"));
    List.of(tab1, tab2, agent, bystander).forEach(registry::add);

    var targets = registry.sessionsFor(new Recipients(Set.of("pro-42"), Set.of("support")));

    assertEquals(Set.of(tab1, tab2, agent), targets);
  }

  @Test
  void aUserGetsAtMostItsSessionsEvenWhenTheySignInTogether() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch go = new CountDownLatch(1);
    List<java.util.concurrent.Future<Boolean>> added = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      var tab = TestSession.idle("t" + i, "pro-42", Set.of("field"));
      added.add(
          pool.submit(
              () -> {
                go.await();
                return registry.addWithin(tab, 20);
              }));
    }
    go.countDown();
    int in = 0;
    for (var f : added) {
      in += f.get(10, TimeUnit.SECONDS) ? 1 : 0;
    }
    pool.shutdown();
    assertEquals(20, in);
    assertEquals(20, registry.sessionsOf("pro-42").size());
    assertEquals(20, registry.sessionsInGroup("field").size(), "refused ones join no group");
    registry.remove(registry.sessionsOf("pro-42").iterator().next());
    assertEquals(true, registry.addWithin(TestSession.idle("again", "pro-42", Set.of()), 20));
    assertEquals(true, registry.addWithin(TestSession.idle("other", "pro-7", Set.of()), 20));
  }

  @Test
  void aSessionNamedTwiceIsDeliveredOnce() {
    var agent = TestSession.idle("1", "sup-1", Set.of("support", "billing"));
    registry.add(agent);

    var targets =
        registry.sessionsFor(new Recipients(Set.of("sup-1"), Set.of("support", "billing")));

    assertEquals(1, targets.size());
  }

  @Test
  void removingTheLastSessionForgetsTheUserAndGroups() {
    var session = TestSession.idle("1", "pro-42", Set.of("support"));
    registry.add(session);
    registry.remove(session);
    registry.remove(session);

    assertEquals(0, registry.userCount());
    assertEquals(0, registry.sessionCount());
    assertEquals(Set.of(), registry.sessionsFor(new Recipients(Set.of(), Set.of("support"))));
  }

  @Test
  void concurrentAddsAndRemovesLeaveExactlyTheSurvivors() throws Exception {
    List<TestSession> all = new ArrayList<>();
    for (int i = 0; i < 4000; i++) {
      all.add(TestSession.idle("s" + i, "user-" + (i % 10), Set.of("g" + (i % 3))));
    }
    Set<TestSession> kept = Set.copyOf(all.subList(0, 2000));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    CountDownLatch done = new CountDownLatch(all.size());
    for (TestSession session : all) {
      pool.execute(
          () -> {
            registry.add(session);
            if (!kept.contains(session)) {
              registry.remove(session);
            }
            done.countDown();
          });
    }
    assertEquals(true, done.await(30, TimeUnit.SECONDS));
    pool.shutdown();

    assertEquals(2000, registry.sessionCount());
    assertEquals(10, registry.userCount());
    assertEquals(kept, registry.sessionsFor(new Recipients(Set.of(), Set.of("g0", "g1", "g2"))));
  }
}
