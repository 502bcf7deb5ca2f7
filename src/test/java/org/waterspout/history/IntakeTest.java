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
    // The first one holds the writer, held at the gate; fifteen more queue meanwhile.
    Future<Boolean> first = holdTheWriter();
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
    store.failing.add("bad");
    Future<Boolean> first = holdTheWriter();
    List<Future<Boolean>> queued = queueInOrder("good-1", "bad", "good-2");
    List<Future<Boolean>> good = List.of(queued.get(0), queued.get(2));
    Future<Boolean> bad = queued.get(1);
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
    Future<Boolean> first = holdTheWriter();
    List<Future<Boolean>> rest = queueInOrder("n-0", "n-1", "n-2", "n-3", "n-4");
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
    store.failing.addAll(Set.of("bad-1", "bad-2"));
    Future<Boolean> first = holdTheWriter();
    List<Future<Boolean>> all = queueInOrder("bad-1", "bad-2", "good");
    store.gate.countDown();
    assertTrue(first.get(10, TimeUnit.SECONDS));
    assertTrue(all.get(2).get(10, TimeUnit.SECONDS), "tried, and stored");
    assertEquals(Set.of("first", "good"), store.known);
  }

  @Test
  void anErrorInTheStoreFailsEveryoneOfTheBatchInsteadOfLeavingThemWaiting() throws Exception {
    store.errors.add("heavy");
    Future<Boolean> first = holdTheWriter();
    List<Future<Boolean>> queued = queueInOrder("heavy", "light");
    Future<Boolean> heavy = queued.get(0);
    Future<Boolean> light = queued.get(1);
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

  /** The first notification's thread holds the writer, held at the store's gate until opened. */
  private Future<Boolean> holdTheWriter() throws InterruptedException {
    store.gate = new CountDownLatch(1);
    Future<Boolean> first = threads.submit(() -> intake.take(taken("first")));
    waitUntil(() -> store.entered.get() == 1);
    return first;
  }

  /** Hands over each id from its own thread, one after the other, each queued before the next. */
  private List<Future<Boolean>> queueInOrder(String... ids) throws InterruptedException {
    List<Future<Boolean>> queued = new ArrayList<>();
    int before = intakeWaiting();
    for (String id : ids) {
      queued.add(threads.submit(() -> intake.take(taken(id))));
      int waiting = before + queued.size();
      waitUntil(() -> intakeWaiting() == waiting);
    }
    return queued;
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
