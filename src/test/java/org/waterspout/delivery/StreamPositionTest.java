package org.waterspout.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Queue;
import org.junit.jupiter.api.Test;
import org.waterspout.notification.NotificationCodec;

/** The live order of one stream on its own, without a history to read. */
class StreamPositionTest {

  private final Queue<Runnable> timers = new ArrayDeque<>();
  private final List<Long> sent = new ArrayList<>();
  private final List<String> controls = new ArrayList<>();
  private final List<Integer> catchUps = new ArrayList<>();

  private final StreamPosition position =
      new StreamPosition(
          new StreamFrames("user:pro"),
          new SessionStream.Sink() {
            @Override
            public boolean offer(Outgoing frame) {
              if (frame.seq() > 0) {
                sent.add(frame.seq());
              } else {
                controls.add(frame.text());
              }
              return true;
            }

            @Override
            public int queued() {
              return 0;
            }
          },
          new SessionStream.Limits(10, 2, 4, 300),
          (task, delay) -> timers.add(task),
          () -> 0,
          catchUps::add);

  private static Outgoing live(long seq) {
    return Outgoing.numbered(
        NotificationCodec.withSeq("{\"op\":\"notification\",\"id\":\"n" + seq + "\"}", seq),
        "user:pro",
        0,
        seq,
        0);
  }

  @Test
  void atTheLatestItGoesLiveAndHandsOnInOrder() {
    assertEquals(OptionalInt.empty(), position.begin(5, 5));
    position.offer(live(6));
    position.offer(live(8));
    position.offer(live(7));
    position.offer(live(7));
    assertEquals(List.of(6L, 7L, 8L), sent);
    assertEquals(8, position.last());
  }

  @Test
  void behindTheLatestItAsksForAReplayAndHoldsLiveOnesUntilItGoesLive() {
    OptionalInt replay = position.begin(2, 5);
    assertTrue(replay.isPresent());
    position.offer(live(6));
    assertEquals(List.of(), sent);
    position.replayAfter(2, 5);
    for (long seq = 3; seq <= 5; seq++) {
      position.handOn(live(seq));
    }
    position.goLive();
    assertEquals(List.of(3L, 4L, 5L, 6L), sent);
  }

  @Test
  void aHoleNotFilledInTimeIsReadFromTheHistory() {
    position.begin(0, 0);
    position.offer(live(2));
    assertEquals(List.of(), catchUps);
    timers.poll().run();
    assertEquals(1, catchUps.size());
    assertTrue(position.superseded(catchUps.get(0) + 1));
  }

  @Test
  void aHoleFilledInTimeNeedsNoRead() {
    position.begin(0, 0);
    position.offer(live(2));
    position.offer(live(1));
    timers.poll().run();
    assertEquals(List.of(), catchUps);
    assertEquals(List.of(1L, 2L), sent);
  }

  @Test
  void tooManyHeldAreDroppedAndReadBack() {
    position.begin(0, 0);
    for (long seq = 2; seq <= 6; seq++) {
      position.offer(live(seq));
    }
    assertEquals(1, catchUps.size());
    assertEquals(List.of(), sent);
  }

  @Test
  void skipsMoveTheStreamOnWithoutAFrame() {
    position.begin(0, 0);
    position.offer(Outgoing.skip("user:pro", 1));
    position.offer(live(2));
    assertEquals(List.of(2L), sent);
  }

  @Test
  void aCursorAheadOfTheLatestIsReportedAndTheStreamGoesOnFromTheLatest() {
    position.begin(9, 5);
    position.replayAfter(9, 5);
    assertEquals(1, controls.size());
    assertEquals(5, position.last());
  }

  @Test
  void nothingIsHandedOnOnceClosed() {
    position.begin(0, 0);
    position.close();
    position.offer(live(1));
    assertEquals(List.of(), sent);
    assertTrue(position.superseded(1));
  }
}
