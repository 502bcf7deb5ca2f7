package org.waterspout.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.waterspout.history.Page;
import org.waterspout.notification.NotificationCodec;

class SessionStreamTest {

  private static final long NOW = 1_000_000;

  /** One user's history in memory; numbers below {@code purgedUpTo} are gone. */
  private final TreeMap<Long, Long> expiries = new TreeMap<>();

  private long acked;
  private int reads;
  private String name = "user:pro";

  /** Numbers the reader gets in another stream. */
  private final java.util.Set<Long> elsewhere = new java.util.HashSet<>();

  /** At most this many notifications per read, as when large ones cut a page short. */
  private int cut = Integer.MAX_VALUE;

  private final Queue<Runnable> tasks = new ArrayDeque<>();
  private final List<String> sent = new ArrayList<>();
  private int queued;
  private boolean refuse;

  /** Runs once a page is read, before it is handed on (as if it happened meanwhile). */
  private Runnable duringRead = () -> {};

  private SessionStream stream(int pageSize, int maxHeld) {
    SessionStream.Source source =
        (seq, limit) -> {
          reads++;
          List<Page.Entry> entries =
              expiries.tailMap(seq, false).entrySet().stream()
                  .limit(Math.min(limit, cut))
                  .map(
                      e ->
                          new Page.Entry(
                              e.getKey(),
                              elsewhere.contains(e.getKey()) ? null : frame("n" + e.getKey()),
                              e.getValue()))
                  .toList();
          Page page = new Page(entries, latest);
          duringRead.run();
          return page;
        };
    SessionStream.Sink sink =
        new SessionStream.Sink() {
          @Override
          public boolean offer(Outgoing frame) {
            if (refuse) {
              return false;
            }
            sent.add(frame.text());
            return true;
          }

          @Override
          public int queued() {
            return queued;
          }
        };
    return new SessionStream(
        new StreamFrames(name),
        source,
        (task, delay) -> tasks.add(task),
        sink,
        new SessionStream.Limits(pageSize, 2, maxHeld, 300),
        () -> NOW);
  }

  private long latest;

  private void stored(long from, long to) {
    LongStream.rangeClosed(from, to).forEach(seq -> expiries.put(seq, 0L));
    latest = Math.max(latest, to);
  }

  private void runTasks() {
    for (int guard = 0; !tasks.isEmpty(); guard++) {
      assertTrue(guard < 10_000, "tasks never settle");
      tasks.poll().run();
    }
  }

  private static String frame(String id) {
    return "{\"op\":\"notification\",\"id\":\"" + id + "\"}";
  }

  private static Outgoing live(long seq) {
    return Outgoing.numbered(
        NotificationCodec.withSeq(frame("n" + seq), seq), "user:pro", 0, seq, 0);
  }

  private List<String> ids() {
    return sent.stream()
        .map(f -> f.contains("\"seq\":") ? "n" + f.replaceAll(".*\"seq\":(\\d+).*", "$1") : f)
        .toList();
  }

  private static List<String> ids(long from, long to) {
    return LongStream.rangeClosed(from, to).mapToObj(seq -> "n" + seq).toList();
  }

  @Test
  void resumesAfterTheCursorThenGoesLive() {
    stored(1, 5);
    SessionStream stream = stream(100, 16);
    stream.begin(2, latest);
    runTasks();
    stream.offer(live(6));
    assertEquals(ids(3, 6), ids());
  }

  @Test
  void withoutResumeItStartsAfterTheAcknowledged() {
    stored(1, 4);
    acked = 3;
    SessionStream stream = stream(100, 16);
    stream.begin(acked, latest);
    runTasks();
    assertEquals(ids(4, 4), ids());
  }

  @Test
  void liveNotificationsDuringTheReplayComeOnceAndInOrder() {
    stored(1, 3);
    SessionStream stream = stream(100, 16);
    stream.offer(live(3));
    stream.begin(0, latest);
    stored(4, 4);
    stream.offer(live(4));
    runTasks();
    stream.offer(live(4));
    stored(5, 5);
    stream.offer(live(5));
    assertEquals(ids(1, 5), ids());
  }

  @Test
  void aLiveNotificationWaitsForTheOneBeforeIt() {
    SessionStream stream = stream(100, 16);
    stream.begin(0, latest);
    runTasks();
    stored(1, 2);
    stream.offer(live(2));
    assertEquals(List.of(), ids());
    stream.offer(live(1));
    assertEquals(ids(1, 2), ids());
    runTasks();
    assertEquals(ids(1, 2), ids());
  }

  @Test
  void aHoleThatLiveDeliveryNeverFillsIsReadFromTheHistory() {
    SessionStream stream = stream(100, 16);
    stream.begin(0, latest);
    runTasks();
    stored(1, 3);
    stream.offer(live(3));
    runTasks();
    assertEquals(ids(1, 3), ids());
  }

  @Test
  void notificationsDroppedByRetentionAreReportedAsAGap() {
    stored(1, 6);
    for (long seq = 1; seq <= 3; seq++) {
      expiries.remove(seq);
    }
    SessionStream stream = stream(100, 16);
    stream.begin(1, latest);
    runTasks();
    assertEquals("{\"op\":\"gap\",\"from\":2,\"to\":3}", sent.get(0));
    assertEquals(ids(4, 6), ids().subList(1, 4));
  }

  @Test
  void aGapReachesToTheLatestWhenNothingIsLeft() {
    stored(1, 6);
    expiries.clear();
    SessionStream stream = stream(100, 16);
    stream.begin(2, latest);
    runTasks();
    stream.offer(live(7));
    assertEquals(List.of("{\"op\":\"gap\",\"from\":3,\"to\":6}", "n7"), ids());
  }

  @Test
  void aPageCutShortByLargeNotificationsIsFollowedByTheNext() {
    stored(1, 6);
    cut = 2;
    SessionStream stream = stream(4, 16);
    stream.begin(0, latest);
    runTasks();
    assertEquals(ids(1, 6), ids());
    assertEquals(3, reads);
  }

  @Test
  void retentionDuringTheCatchUpIsReportedAsAGapToo() {
    stored(1, 8);
    SessionStream stream = stream(2, 16);
    stream.begin(0, latest);
    tasks.poll().run();
    for (long seq = 3; seq <= 5; seq++) {
      expiries.remove(seq);
    }
    runTasks();
    assertEquals(
        List.of("n1", "n2", "{\"op\":\"gap\",\"from\":3,\"to\":5}", "n6", "n7", "n8"), ids());
  }

  @Test
  void aCatchUpThatFindsNothingLeftReportsAGapToTheLatest() {
    stored(1, 6);
    SessionStream stream = stream(2, 16);
    stream.begin(0, latest);
    tasks.poll().run();
    expiries.clear();
    runTasks();
    stream.offer(live(7));
    assertEquals(List.of("n1", "n2", "{\"op\":\"gap\",\"from\":3,\"to\":6}", "n7"), ids());
  }

  @Test
  void aCursorAheadOfTheSequenceIsAnErrorAndTheStreamGoesOnFromTheLatest() {
    stored(1, 5);
    SessionStream stream = stream(100, 16);
    stream.begin(9, latest);
    runTasks();
    stream.offer(live(6));
    assertTrue(sent.get(0).contains("\"code\":\"cursor-ahead\""), sent::toString);
    assertEquals("n6", ids().get(1));
  }

  @Test
  void expiredNotificationsAreNeverSentButTheSequenceMovesOn() {
    stored(1, 3);
    expiries.put(2L, NOW - 1);
    SessionStream stream = stream(100, 16);
    stream.begin(0, latest);
    runTasks();
    stream.offer(Outgoing.numbered(frame("x"), "user:pro", 0, 4, NOW));
    stream.offer(live(5));
    assertEquals(List.of("n1", "n3", "n5"), ids());
  }

  @Test
  void theNextPageIsReadOnlyWhenTheOutboxHasRoom() {
    stored(1, 25);
    SessionStream stream = stream(10, 16);
    queued = 5;
    stream.begin(0, latest);
    for (int i = 0; i < 50; i++) {
      tasks.poll().run();
    }
    assertEquals(ids(1, 10), ids());
    queued = 0;
    runTasks();
    assertEquals(ids(1, 25), ids());
  }

  @Test
  void tooManyHeldLiveNotificationsAreDroppedAndReadBack() {
    stored(1, 2);
    SessionStream stream = stream(100, 4);
    stream.begin(0, latest);
    stored(3, 20);
    for (long seq = 3; seq <= 20; seq++) {
      stream.offer(live(seq));
    }
    runTasks();
    assertEquals(ids(1, 20), ids());
  }

  @Test
  void liveNotificationsDroppedWhileAPageIsReadAreReadBackAfterIt() {
    stored(1, 2);
    SessionStream stream = stream(100, 4);
    stream.begin(0, latest);
    duringRead =
        () -> {
          duringRead = () -> {};
          // Three times one more than may be held: the last one leaves nothing held to wait for.
          stored(3, 17);
          for (long seq = 3; seq <= 17; seq++) {
            stream.offer(live(seq));
          }
        };
    runTasks();
    assertEquals(ids(1, 17), ids());
  }

  @Test
  void aResumeStartsAgainFromItsCursor() {
    stored(1, 5);
    SessionStream stream = stream(100, 16);
    stream.begin(acked, latest);
    stream.begin(3, latest);
    runTasks();
    assertEquals(ids(4, 5), ids());
  }

  @Test
  void aResumeAfterTheDefaultStartedNeverSendsAgainWhatWasSent() {
    stored(1, 5);
    acked = 0;
    SessionStream stream = stream(100, 16);
    // The resume wait ran out: the stream started after the acknowledged, and handed on 1 to 5.
    stream.beginUnlessStarted(acked, latest);
    runTasks();
    // The client's resume comes late, after 2 (what it had on its previous connection).
    stream.begin(2, latest);
    runTasks();
    stream.offer(live(6));
    runTasks();
    assertEquals(ids(1, 6), ids());
  }

  @Test
  void aLateResumeAheadOfWhatWasSentMovesTheStreamOn() {
    stored(1, 5);
    acked = 0;
    SessionStream stream = stream(100, 16);
    stream.begin(acked, latest);
    stream.offer(live(6));
    // Nothing ran yet: the client says it has up to 4, so 5 and 6 follow.
    stream.begin(4, 6);
    runTasks();
    assertEquals(ids(5, 6), ids());
  }

  @Test
  void nothingMoreAfterTheSessionRefusesAFrame() {
    stored(1, 5);
    SessionStream stream = stream(100, 16);
    refuse = true;
    stream.begin(0, latest);
    runTasks();
    refuse = false;
    stream.offer(live(6));
    runTasks();
    assertEquals(List.of(), ids());
    assertEquals(1, reads);
  }

  @Test
  void theResumeWaitNeverUndoesAResume() {
    stored(1, 5);
    acked = 0;
    SessionStream stream = stream(100, 16);
    stream.begin(4, latest);
    stream.beginUnlessStarted(acked, latest);
    runTasks();
    assertEquals(ids(5, 5), ids());
  }

  @Test
  void aCursorAtTheLatestGoesLiveWithoutReading() {
    stored(1, 5);
    SessionStream stream = stream(100, 16);
    stream.begin(5, 5);
    runTasks();
    stream.offer(live(6));
    assertEquals(ids(6, 6), ids());
    assertEquals(0, reads);
  }

  @Test
  void aLiveNotificationThatCameBeforeTheBeginIsHandedOnAfterIt() {
    stored(1, 5);
    SessionStream stream = stream(100, 16);
    stored(6, 6);
    stream.offer(live(6));
    stream.begin(5, 5);
    assertEquals(ids(6, 6), ids());
    assertEquals(0, reads);
  }

  @Test
  void numbersTheSessionGetsElsewhereArePassedOverLiveAndReplayed() {
    stored(1, 4);
    elsewhere.add(2L);
    SessionStream stream = stream(100, 16);
    stream.begin(0, latest);
    runTasks();
    stream.offer(Outgoing.skip("user:pro", 5));
    stored(5, 6);
    stream.offer(live(6));
    runTasks();
    assertEquals(List.of("n1", "n3", "n4", "n6"), ids());
    assertEquals(1, reads);
  }

  @Test
  void aGroupStreamNamesItselfInGapsAndFrames() {
    name = "group:support";
    stored(1, 3);
    expiries.remove(1L);
    SessionStream stream = stream(100, 16);
    stream.begin(0, latest);
    runTasks();
    assertEquals("{\"op\":\"gap\",\"stream\":\"group:support\",\"from\":1,\"to\":1}", sent.get(0));
    assertTrue(
        sent.get(1)
            .startsWith("{\"op\":\"notification\",\"stream\":\"group:support\",\"offset\":2,"),
        sent::toString);
  }
}
