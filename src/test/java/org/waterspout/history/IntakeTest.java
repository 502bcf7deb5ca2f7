package org.waterspout.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonValue;
import java.sql.SQLTransientConnectionException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.waterspout.notification.Notification;
import org.waterspout.notification.Recipients;

class IntakeTest {

  /** Records each batch; fails a batch holding an id of {@link #failing}; knows {@link #known}. */
  private static final class RecordingStore extends IntakeStore {
    final List<List<String>> batches = Collections.synchronizedList(new ArrayList<>());
    final Set<String> failing = ConcurrentHashMap.newKeySet();
    final Set<String> known = ConcurrentHashMap.newKeySet();
    final Set<String> errors = ConcurrentHashMap.newKeySet();
    volatile boolean away;
    final AtomicInteger entered = new AtomicInteger();
    volatile CountDownLatch gate = new CountDownLatch(0);

    @Override
    public List<Boolean> store(List<Intake.Taken> batch) {
      entered.incrementAndGet();
      try {
        gate.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      List<String> ids = batch.stream().map(t -> t.notification().id()).toList();
      batches.add(ids);
      if (ids.stream().anyMatch(errors::contains)) {
        throw new OutOfMemoryError("the store ran out of heap on " + ids);
      }
      if (away) {
        throw new IllegalStateException(
            "the database is away", new SQLTransientConnectionException("refused", "08001"));
      }
      if (ids.stream().anyMatch(failing::contains)) {
        throw new IllegalStateException("the database refused " + ids);
      }
      return ids.stream().map(known::add).toList();
    }
  }

  private final RecordingStore store = new RecordingStore();
  private final Intake intake = new Intake();
  private final ExecutorService threads = Executors.newFixedThreadPool(16);

  IntakeTest() {
    intake.store = store;
  }

  @AfterEach
  void stop() {
    threads.shutdownNow();
  }

  private static Intake.Taken taken(String id) {
    Notification notification =
        new Notification(
            id,
            "work-order.routed",
            new Recipients(Set.of("pro-42"), Set.of()),
            Optional.empty(),
            Optional.empty(),
            JsonValue.EMPTY_JSON_OBJECT,
            Instant.EPOCH);
    return new Intake.Taken(notification, "{}", 0, Optional.empty(), 0);
  }

  @Test
  void oneNotificationAloneIsOneTransaction() {
    assertTrue(intake.take(taken("n-1")));
    assertEquals(List.of(List.of("n-1")), store.batches);
  }

  @Test
  void anIdAlreadyStoredIsReportedAsADuplicate() {
    assertTrue(intake.take(taken("n-1")));
    assertFalse(intake.take(taken("n-1")));
  }

  @Test
  void notificationsThatArriveDuringACommitShareTheNextOne() throws Exception {
    store.gate = new CountDownLatch(1);
    Future<Boolean> first = threads.submit(() -> intake.take(taken("first")));
    // The first one holds the writer, held at the gate; fifteen more queue meanwhile.
    waitUntil(() -> store.entered.get() == 1);
    List<Future<Boolean>> others = new ArrayList<>();
    for (int i = 0; i < 15; i++) {
      String id = "n-" + i;
      others.add(threads.submit(() -> intake.take(taken(id))));
    }
    waitUntil(() -> intakeWaiting() == 15);
    store.gate.countDown();
    assertTrue(first.get(10, TimeUnit.SECONDS));
    for (Future<Boolean> other : others) {
      assertTrue(other.get(10, TimeUnit.SECONDS));
    }
    assertEquals(List.of("first"), store.batches.get(0));
    assertEquals(2, store.batches.size(), "the fifteen in one transaction: " + store.batches);
    assertEquals(15, store.batches.get(1).size());
  }

  @Test
  void aBatchThatFailsIsStoredOneByOneAndOnlyTheFailingOneThrows() throws Exception {
    store.gate = new CountDownLatch(1);
    store.failing.add("bad");
    Future<Boolean> first = threads.submit(() -> intake.take(taken("first")));
    waitUntil(() -> store.entered.get() == 1);
    List<Future<Boolean>> good = new ArrayList<>();
    good.add(threads.submit(() -> intake.take(taken("good-1"))));
    waitUntil(() -> intakeWaiting() == 1);
    Future<Boolean> bad = threads.submit(() -> intake.take(taken("bad")));
    waitUntil(() -> intakeWaiting() == 2);
    good.add(threads.submit(() -> intake.take(taken("good-2"))));
    waitUntil(() -> intakeWaiting() == 3);
    store.gate.countDown();
    assertTrue(first.get(10, TimeUnit.SECONDS));
    for (Future<Boolean> one : good) {
      assertTrue(one.get(10, TimeUnit.SECONDS));
    }
    Exception failure = assertThrows(Exception.class, () -> bad.get(10, TimeUnit.SECONDS));
    assertTrue(failure.getCause().getMessage().contains("refused [bad]"), failure.toString());
    assertEquals(Set.of("first", "good-1", "good-2"), store.known);
    assertEquals(
        List.of(
            List.of("first"),
            List.of("good-1", "bad", "good-2"),
            List.of("good-1"),
            List.of("bad"),
            List.of("good-2")),
        store.batches);
  }

  @Test
  void whenTheDatabaseIsAwayABatchIsNotTriedOneByOneToTheEnd() throws Exception {
    store.gate = new CountDownLatch(1);
    Future<Boolean> first = threads.submit(() -> intake.take(taken("first")));
    waitUntil(() -> store.entered.get() == 1);
    List<Future<Boolean>> rest = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String id = "n-" + i;
      rest.add(threads.submit(() -> intake.take(taken(id))));
      int queued = i + 1;
      waitUntil(() -> intakeWaiting() == queued);
    }
    store.away = true;
    store.gate.countDown();
    assertThrows(Exception.class, () -> first.get(10, TimeUnit.SECONDS));
    for (Future<Boolean> one : rest) {
      assertThrows(Exception.class, () -> one.get(10, TimeUnit.SECONDS));
    }
    assertEquals(
        List.of(
            List.of("first"),
            List.of("n-0", "n-1", "n-2", "n-3", "n-4"),
            List.of("n-0"),
            List.of("n-1")),
        store.batches,
        "two failed alone in a row: the other three fail untried");
  }

  @Test
  void twoBadNotificationsSideBySideDoNotStopTheOthersOfTheirBatch() throws Exception {
    store.gate = new CountDownLatch(1);
    store.failing.addAll(Set.of("bad-1", "bad-2"));
    Future<Boolean> first = threads.submit(() -> intake.take(taken("first")));
    waitUntil(() -> store.entered.get() == 1);
    List<Future<Boolean>> all = new ArrayList<>();
    for (String id : List.of("bad-1", "bad-2", "good")) {
      all.add(threads.submit(() -> intake.take(taken(id))));
      int queued = all.size();
      waitUntil(() -> intakeWaiting() == queued);
    }
    store.gate.countDown();
    assertTrue(first.get(10, TimeUnit.SECONDS));
    assertTrue(all.get(2).get(10, TimeUnit.SECONDS), "tried, and stored");
    assertEquals(Set.of("first", "good"), store.known);
  }

  @Test
  void anErrorInTheStoreFailsEveryoneOfTheBatchInsteadOfLeavingThemWaiting() throws Exception {
    store.gate = new CountDownLatch(1);
    store.errors.add("heavy");
    Future<Boolean> first = threads.submit(() -> intake.take(taken("first")));
    waitUntil(() -> store.entered.get() == 1);
    Future<Boolean> heavy = threads.submit(() -> intake.take(taken("heavy")));
    waitUntil(() -> intakeWaiting() == 1);
    Future<Boolean> light = threads.submit(() -> intake.take(taken("light")));
    waitUntil(() -> intakeWaiting() == 2);
    store.gate.countDown();
    assertTrue(first.get(10, TimeUnit.SECONDS));
    // Each answered (not a time out): the error, or the failure of the batch it was in.
    Exception one = assertThrows(ExecutionException.class, () -> heavy.get(10, TimeUnit.SECONDS));
    Exception other = assertThrows(ExecutionException.class, () -> light.get(10, TimeUnit.SECONDS));
    assertTrue(
        one.getCause() instanceof OutOfMemoryError || other.getCause() instanceof OutOfMemoryError,
        "the leader's thread gets the error itself: " + one + ", " + other);
    // Not stuck: the next notification is stored as usual.
    assertTrue(intake.take(taken("after")));
  }

  @Test
  void manyThreadsAtOnceEachGetTheirOwnAnswerAndEachIsStoredOnce() throws Exception {
    List<Future<Boolean>> all = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      String id = "n-" + (i % 1000); // every id twice
      all.add(threads.submit(() -> intake.take(taken(id))));
    }
    int stored = 0;
    for (Future<Boolean> one : all) {
      if (one.get(30, TimeUnit.SECONDS)) {
        stored++;
      }
    }
    assertEquals(1000, stored);
    assertEquals(1000, store.known.size());
    assertEquals(2000, store.batches.stream().mapToInt(List::size).sum());
    assertTrue(store.batches.stream().allMatch(b -> b.size() <= Intake.BATCH));
  }

  private int intakeWaiting() {
    return intake.waiting();
  }

  private static void waitUntil(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met in 10 s");
      }
      Thread.sleep(1);
    }
  }
}
