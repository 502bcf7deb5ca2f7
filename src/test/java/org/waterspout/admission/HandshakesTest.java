package org.waterspout.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HandshakesTest {

  private final AtomicLong now = new AtomicLong();
  private final Handshakes handshakes = new Handshakes(10_000, now::get);

  @Test
  void countsAdmittedHandshakesUntilTheySettle() {
    handshakes.admitted();
    handshakes.admitted();
    assertEquals(2, handshakes.inFlight());

    handshakes.settled();
    assertEquals(1, handshakes.inFlight());
    handshakes.settled();
    handshakes.settled(); // a socket that opened without a ticket changes nothing
    assertEquals(0, handshakes.inFlight());
  }

  @Test
  void aHandshakeThatNeverOpensStopsCountingAfterTheTimeout() {
    handshakes.admitted();
    now.addAndGet(5_000);
    handshakes.admitted();

    now.addAndGet(5_001);
    assertEquals(1, handshakes.inFlight());
    now.addAndGet(5_000);
    assertEquals(0, handshakes.inFlight());
  }
}
