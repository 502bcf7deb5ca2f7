package org.waterspout.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class OutboxTest {

  private final List<String> sent = new ArrayList<>();
  private final Deque<Consumer<Throwable>> inFlight = new ArrayDeque<>();
  private final List<String> failures = new ArrayList<>();
  private final AtomicInteger sentCount = new AtomicInteger();
  private final AtomicInteger droppedCount = new AtomicInteger();
  private final Outbox.Monitor monitor =
      new Outbox.Monitor() {
        @Override
        public void sent(Outgoing frame) {
          sentCount.incrementAndGet();
        }

        @Override
        public void dropped(Outgoing frame) {
          droppedCount.incrementAndGet();
        }
      };

  private static Outgoing frame(String text) {
    return Outgoing.notification(text, System.nanoTime());
  }

  private Outbox deferred(int capacity) {
    return new Outbox(
        capacity,
        (frame, done) -> {
          sent.add(frame.text());
          inFlight.add(done);
        },
        (reason, cause) -> failures.add(reason),
        monitor);
  }

  @Test
  void sendsOneAtATimeInOrder() {
    Outbox outbox = deferred(10);
    outbox.offer(frame("a"));
    outbox.offer(frame("b"));
    outbox.offer(frame("c"));

    assertEquals(List.of("a"), sent);
    inFlight.poll().accept(null);
    assertEquals(List.of("a", "b"), sent);
    inFlight.poll().accept(null);
    inFlight.poll().accept(null);
    assertEquals(List.of("a", "b", "c"), sent);
    assertEquals(0, outbox.size());
  }

  @Test
  void aClientThatFallsBehindIsReportedOnceAsTooSlow() {
    Outbox outbox = deferred(2);
    assertTrue(outbox.offer(frame("in flight")));
    assertTrue(outbox.offer(frame("queued 1")));
    assertTrue(outbox.offer(frame("queued 2")));

    assertFalse(outbox.offer(frame("one too many")));
    assertFalse(outbox.offer(frame("after failure")));

    assertEquals(1, failures.size());
    assertTrue(failures.get(0).startsWith("too slow"));
    assertTrue(outbox.hasFailed());
    // Every frame is accounted for once: the queued ones and the refused ones are dropped, and
    // the one in flight still counts as sent when its send completes.
    assertEquals(4, droppedCount.get());
    inFlight.poll().accept(null);
    assertEquals(1, sentCount.get());
  }

  @Test
  void aSendStuckPastItsLimitGivesUpOnTheClientOnceAsTooSlow() {
    Outbox outbox = deferred(10);
    long limit = 10_000_000_000L;
    assertFalse(outbox.giveUpIfStuck(System.nanoTime() + 2 * limit, limit), "nothing in flight");
    outbox.offer(frame("a"));
    outbox.offer(frame("b"));
    long handed = System.nanoTime();

    assertFalse(outbox.giveUpIfStuck(handed + limit / 2, limit));
    assertEquals(List.of(), failures);

    // Completed in time: the next send's clock starts when it is handed on.
    inFlight.poll().accept(null);
    long next = System.nanoTime();
    assertFalse(outbox.giveUpIfStuck(next + limit / 2, limit));

    assertTrue(outbox.giveUpIfStuck(next + limit + 1, limit));
    assertEquals(List.of("too slow: a frame unsent for 10000 ms"), failures);
    assertTrue(outbox.hasFailed());
    assertFalse(outbox.giveUpIfStuck(next + 2 * limit, limit), "reported once");
    assertFalse(outbox.offer(frame("c")));
  }

  @Test
  void aFailedSendStopsTheOutbox() {
    Outbox outbox = deferred(10);
    outbox.offer(frame("a"));
    outbox.offer(frame("b"));

    inFlight.poll().accept(new IOException("broken pipe"));

    assertEquals(List.of("a"), sent);
    assertEquals(1, failures.size());
    assertFalse(outbox.offer(frame("c")));
    assertEquals(3, droppedCount.get());
    assertEquals(0, sentCount.get());
  }

  @Test
  void aHeldOutboxSendsNothingUntilReleasedThenAllInOrder() {
    Outbox outbox = deferred(10);
    outbox.hold();
    outbox.offer(Outgoing.control("welcome"));
    outbox.offer(frame("n1"));

    assertEquals(List.of(), sent);
    outbox.release();
    inFlight.poll().accept(null);
    assertEquals(List.of("welcome", "n1"), sent);
  }

  @Test
  void controlFramesAreSentLikeAnyOther() {
    Outbox outbox = deferred(10);
    outbox.offer(Outgoing.control("welcome"));
    inFlight.poll().accept(null);

    assertEquals(List.of("welcome"), sent);
    assertEquals(1, sentCount.get());
  }

  @Test
  void aSinkThatCompletesInlineDrainsWithoutGrowingTheStack() {
    List<String> delivered = new ArrayList<>();
    Outbox outbox =
        new Outbox(
            200_000,
            (frame, done) -> {
              delivered.add(frame.text());
              done.accept(null);
            },
            (reason, cause) -> failures.add(reason),
            monitor);

    for (int i = 0; i < 100_000; i++) {
      outbox.offer(frame("f" + i));
    }

    assertEquals(100_000, delivered.size());
    assertEquals("f99999", delivered.get(99_999));
    assertTrue(failures.isEmpty());
  }

  @Test
  void concurrentProducersAndAsynchronousCompletionsLoseAndReorderNothing() throws Exception {
    int producers = 4;
    int perProducer = 20_000;
    ExecutorService completions = Executors.newFixedThreadPool(2);
    List<String> delivered = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger inFlightNow = new AtomicInteger();
    AtomicInteger maxInFlight = new AtomicInteger();
    Outbox outbox =
        new Outbox(
            producers * perProducer,
            (frame, done) -> {
              maxInFlight.accumulateAndGet(inFlightNow.incrementAndGet(), Math::max);
              delivered.add(frame.text());
              completions.execute(
                  () -> {
                    inFlightNow.decrementAndGet();
                    done.accept(null);
                  });
            },
            (reason, cause) -> failures.add(reason),
            monitor);

    ExecutorService pool = Executors.newFixedThreadPool(producers);
    for (int p = 0; p < producers; p++) {
      int producer = p;
      pool.execute(
          () -> {
            for (int i = 0; i < perProducer; i++) {
              outbox.offer(frame(producer + ":" + i));
            }
          });
    }
    pool.shutdown();
    assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (delivered.size() < producers * perProducer && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    completions.shutdown();
    assertTrue(completions.awaitTermination(60, TimeUnit.SECONDS));
    assertEquals(producers * perProducer, sentCount.get());
    assertEquals(0, droppedCount.get());

    assertEquals(producers * perProducer, delivered.size());
    assertEquals(1, maxInFlight.get(), "more than one send in flight");
    assertTrue(failures.isEmpty(), failures::toString);
    int[] last = new int[producers];
    Arrays.fill(last, -1);
    synchronized (delivered) {
      for (String frame : delivered) {
        int producer = Integer.parseInt(frame.substring(0, frame.indexOf(':')));
        int index = Integer.parseInt(frame.substring(frame.indexOf(':') + 1));
        assertEquals(last[producer] + 1, index, "frames of producer " + producer + " reordered");
        last[producer] = index;
      }
    }
  }

  @Test
  void aSinkThatThrowsCountsAsAFailedSend() {
    Outbox outbox =
        new Outbox(
            10,
            (frame, done) -> {
              throw new IllegalStateException("socket closed");
            },
            (reason, cause) -> failures.add(reason),
            monitor);

    outbox.offer(frame("a"));

    assertEquals(1, failures.size());
    assertNull(inFlight.poll());
  }
}
