package org.waterspout.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.waterspout.config.ConfigKeys;
import org.waterspout.config.Settings;
import org.waterspout.timing.Workers;

class AcksTest {

  /** Records each batch written. */
  private static final class RecordingStore extends AckStore {
    final List<List<Ack>> batches = Collections.synchronizedList(new ArrayList<>());
    volatile Runnable during = () -> {};

    @Override
    void write(List<Ack> acks) {
      batches.add(List.copyOf(acks));
      during.run();
    }

    List<Ack> written() {
      return batches.stream().flatMap(List::stream).toList();
    }
  }

  /** Holds scheduled tasks with their delay, run by the test. */
  private static final class ManualWorkers extends Workers {
    final List<Map.Entry<Long, Runnable>> tasks = new ArrayList<>();

    @Override
    public ScheduledFuture<?> scheduleWrite(Runnable task, long delay, TimeUnit unit) {
      tasks.add(Map.entry(unit.toMillis(delay), task));
      return null;
    }

    List<Long> delays() {
      return tasks.stream().map(Map.Entry::getKey).toList();
    }

    /** Runs the tasks scheduled with at most {@code delayMillis}, in order. */
    void runUpTo(long delayMillis) {
      List<Map.Entry<Long, Runnable>> due =
          tasks.stream().filter(t -> t.getKey() <= delayMillis).toList();
      tasks.removeAll(due);
      due.forEach(t -> t.getValue().run());
    }
  }

  private final RecordingStore store = new RecordingStore();
  private final ManualWorkers workers = new ManualWorkers();
  private final Acks acks = new Acks();

  AcksTest() {
    acks.store = store;
    acks.workers = workers;
    Map<String, String> config =
        Map.of(
            ConfigKeys.TOKEN_SECRET,
            "a-secret-of-at-least-thirty-two-bytes!!",
            ConfigKeys.HISTORY_GROUP_ACK_DELAY_MILLIS,
            "10000");
    acks.settings = Settings.from(key -> Optional.ofNullable(config.get(key)));
  }

  private static Ack ack(String stream, long after, long seq) {
    return new Ack("pro-1", Set.of("crew"), stream, after, seq, false);
  }

  private void numberedWithReceipt(String stream) {
    acks.numbered(
        new NotificationNumbered(
            new Numbered("n1", "{}", 0, Set.of(), List.of(new Place(stream, 1)), true),
            System.nanoTime()));
  }

  @Test
  void aUsersOwnAckIsStoredSoonAndAGroupAckLater() {
    acks.add(ack("user:pro-1", 0, 3));
    acks.add(ack("group:crew", 0, 7));
    workers.runUpTo(Acks.DELAY_MILLIS);
    assertEquals(List.of(ack("user:pro-1", 0, 3)), store.written());
    assertEquals(OptionalLong.of(7), acks.waiting("pro-1", "group:crew"), "seen by a sign-in");
    workers.runUpTo(10_000);
    assertEquals(List.of(ack("user:pro-1", 0, 3), ack("group:crew", 0, 7)), store.written());
  }

  @Test
  void aGroupWaitingForAReceiptHasItsAcksStoredSoonAndTakesTheHeldOneAlong() {
    acks.add(ack("group:crew", 0, 7));
    numberedWithReceipt("group:crew");
    acks.add(ack("group:crew", 7, 9));
    workers.runUpTo(Acks.DELAY_MILLIS);
    assertEquals(List.of(ack("group:crew", 0, 9)), store.written(), "one entry, from 0");
    workers.runUpTo(10_000);
    assertEquals(1, store.written().size(), "nothing left held for later");
  }

  @Test
  void aClosingSessionHasItsGroupAcksStoredSoon() {
    acks.add(ack("group:crew", 0, 7));
    acks.closed("pro-1", List.of("group:crew"));
    workers.runUpTo(Acks.DELAY_MILLIS);
    assertEquals(List.of(ack("group:crew", 0, 7)), store.written());
  }

  /** A store that, while it writes, sees the member acknowledge again (as under load). */
  @Test
  void acksThatComeWhileAWriteRunsWaitAFullDelay() {
    store.during = () -> acks.add(ack("group:crew", 7, 8));
    acks.add(ack("group:crew", 0, 7));
    workers.runUpTo(10_000);
    assertEquals(List.of(ack("group:crew", 0, 7)), store.written(), "not the one that came during");
    assertEquals(List.of(10_000L), workers.delays(), "the next turn a full delay later");
    store.during = () -> {};
    workers.runUpTo(10_000);
    assertEquals(List.of(ack("group:crew", 0, 7), ack("group:crew", 7, 8)), store.written());
  }

  @Test
  void twoDevicesWhoseRangesDoNotMeetDoNotMakeTheGapSeen() {
    acks.add(ack("user:pro-1", 5, 7));
    acks.add(ack("user:pro-1", 10, 12));
    acks.add(ack("user:pro-1", 12, 14));
    workers.runUpTo(Acks.DELAY_MILLIS);
    assertEquals(
        List.of(ack("user:pro-1", 10, 14)),
        store.written(),
        "the later ones, which meet, from 10: not from 5");
  }

  /** Under load: members acknowledge again while a turn writes, many batches long. */
  @Test
  void aTurnWritesEveryoneWhoWasWaitingEvenWhenTheFirstAcknowledgeAgainMeanwhile() {
    int members = 2 * Acks.BATCH + 500;
    store.during =
        () -> {
          List<Ack> last = store.batches.get(store.batches.size() - 1);
          if (store.batches.size() == 1) {
            last.forEach(a -> acks.add(new Ack(a.user(), a.groups(), a.stream(), 7, 8, false)));
          }
        };
    for (int i = 0; i < members; i++) {
      acks.add(new Ack("pro-" + i, Set.of("crew"), "group:crew", 0, 7, false));
    }
    workers.runUpTo(10_000);
    assertEquals(
        members,
        store.written().stream().filter(a -> a.seq() == 7).count(),
        "every member waiting at the start written in this turn");
    assertEquals(
        0, store.written().stream().filter(a -> a.seq() == 8).count(), "the new ones next turn");
  }

  @Test
  void stoppingStoresBothGatherings() {
    acks.add(ack("user:pro-1", 0, 3));
    acks.add(ack("group:crew", 0, 7));
    acks.stop();
    assertEquals(2, store.written().size());
    assertTrue(acks.waiting("pro-1", "group:crew").isEmpty());
  }
}
