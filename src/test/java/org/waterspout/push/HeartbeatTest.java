package org.waterspout.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.waterspout.timing.TimerWheel;

class HeartbeatTest {

  private static final long SECOND = 1_000_000_000L;

  private final AtomicLong now = new AtomicLong();
  private final TimerWheel wheel = new TimerWheel(Duration.ofMillis(100), 64, now::get);
  private final FakePeer peer = new FakePeer();
  private final Heartbeat heartbeat = new Heartbeat(wheel, Duration.ofSeconds(10), peer);

  /** Lets {@code seconds} pass, tick by tick. */
  private void pass(int seconds) {
    for (int i = 0; i < seconds * 10; i++) {
      now.addAndGet(SECOND / 10);
      wheel.advance();
    }
  }

  @Test
  void aPeerThatAnswersStaysOpenPingAfterPing() {
    peer.answering = heartbeat;
    heartbeat.start(1.0);

    pass(125);
    assertEquals(List.of(), peer.closes);
    assertEquals(12, peer.pings);
  }

  @Test
  void aPeerThatLeavesTwoPingsUnansweredIsClosed() {
    heartbeat.start(1.0);

    pass(15);
    assertEquals(1, peer.pings);
    pass(10);
    assertEquals(2, peer.pings);
    assertEquals(List.of(), peer.closes);
    pass(10);
    assertEquals(List.of("missed pongs"), peer.closes);
    pass(60);
    assertEquals(2, peer.pings);
    assertEquals(1, peer.closes.size());
  }

  @Test
  void aBeatThatComesLateBecauseThisServerStalledClosesNothingAndTheNextOneDecides() {
    Heartbeat clocked = new Heartbeat(wheel, Duration.ofSeconds(10), peer, now::get);
    clocked.start(1.0);
    pass(25);
    assertEquals(2, peer.pings);

    // The server stalls for 30 s (the wheel does not advance); then its beat is 25 s late.
    now.addAndGet(30 * SECOND);
    pass(1);
    assertEquals(List.of(), peer.closes, "closed for the server's own stall");
    assertEquals(2, peer.pings);

    // The pongs that waited in the socket are read: the next beat, on time, pings again.
    clocked.answered();
    pass(10);
    assertEquals(List.of(), peer.closes);
    assertEquals(3, peer.pings);
  }

  @Test
  void aLateBeatDoesNotSaveAPeerThatStaysSilent() {
    Heartbeat clocked = new Heartbeat(wheel, Duration.ofSeconds(10), peer, now::get);
    clocked.start(1.0);
    pass(25);
    now.addAndGet(30 * SECOND);
    pass(1);
    assertEquals(List.of(), peer.closes);

    pass(10);
    assertEquals(List.of("missed pongs"), peer.closes);
  }

  @Test
  void theFirstPingComesBetweenHalfAnIntervalAndOneAndAHalf() {
    heartbeat.start();

    pass(4);
    assertEquals(0, peer.pings);
    pass(11);
    assertTrue(peer.pings >= 1, "pings: " + peer.pings);
  }

  @Test
  void aBusyOrUnauthenticatedSessionIsNotPingedNorClosed() {
    peer.quiet = false;
    heartbeat.start();

    pass(120);
    assertEquals(0, peer.pings);
    assertEquals(List.of(), peer.closes);
    // ... but looked at once a beat, so that a send stuck past its timeout ends it.
    assertTrue(peer.busyBeats >= 11, "busy beats: " + peer.busyBeats);
  }

  @Test
  void stoppedItPingsNoMoreAndLeavesNothingInTheTimer() {
    heartbeat.start(1.0);
    pass(15);
    heartbeat.stop();

    pass(60);
    assertEquals(1, peer.pings);
    assertEquals(List.of(), peer.closes);
    assertEquals(0, wheel.size());
  }

  private static final class FakePeer implements Heartbeat.Peer {
    boolean quiet = true;
    Heartbeat answering;
    int pings;
    int busyBeats;
    final List<String> closes = new ArrayList<>();

    @Override
    public boolean quiet() {
      return quiet;
    }

    @Override
    public void ping() {
      pings++;
      if (answering != null) {
        answering.answered();
      }
    }

    @Override
    public void busy() {
      busyBeats++;
    }

    @Override
    public void close(String reason) {
      closes.add(reason);
    }
  }
}
