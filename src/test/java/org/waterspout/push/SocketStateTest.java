package org.waterspout.push;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SocketStateTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void aSessionMaySendABurstOfTwoSecondsThenItsRateAndNoMore() {
    SocketState state = new SocketState();
    long t = 5 * SECOND;
    for (int i = 0; i < 100; i++) {
      assertTrue(state.takeFrame(50, t), "burst frame " + i);
    }
    // Half a second later: 25 more.
    t += SECOND / 2;
    for (int i = 0; i < 25; i++) {
      assertTrue(state.takeFrame(50, t), "refilled frame " + i);
    }
    assertFalse(state.takeFrame(50, t));
    assertTrue(state.markFloodClosed(), "the first to see the flood closes the session");
    assertFalse(state.markFloodClosed(), "once");
    // Refused from then on, however long it waits: the session is being closed.
    assertFalse(state.takeFrame(50, t + 60 * SECOND));
  }

  @Test
  void aSteadySessionWithinItsRateIsNeverRefused() {
    SocketState state = new SocketState();
    long t = 0;
    for (int i = 0; i < 10_000; i++) {
      t += SECOND / 45;
      assertTrue(state.takeFrame(50, t), "frame " + i);
    }
    assertFalse(state.markFloodClosed());
  }
}
