package org.waterspout.history;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;

class AckTest {

  private static final String STREAM = "group:support";

  @Test
  void ofTwoStartsNotStoredYetTheEarlierIsKept() {
    Ack first = Ack.initial("pro-42", Set.of("support"), STREAM, 3);
    Ack second = Ack.initial("pro-42", Set.of("support"), STREAM, 9);
    assertEquals(first, first.merge(second));
    assertEquals(first, second.merge(first));
  }

  @Test
  void aRealAcknowledgementWinsOverAStart() {
    Ack start = Ack.initial("pro-42", Set.of("support"), STREAM, 9);
    Ack seen = new Ack("pro-42", Set.of("support"), STREAM, 3, 5, false);
    assertEquals(seen, start.merge(seen));
    assertEquals(seen, seen.merge(start));
  }

  @Test
  void rangesThatMeetJoin() {
    Ack a = new Ack("pro-42", Set.of(), STREAM, 3, 5, false);
    Ack b = new Ack("pro-42", Set.of(), STREAM, 5, 8, false);
    assertEquals(new Ack("pro-42", Set.of(), STREAM, 3, 8, false), a.merge(b));
  }
}
