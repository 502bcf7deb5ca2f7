package org.waterspout.admission;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;

/**
 * Handshakes admitted by the filter whose socket has not opened yet. The filter chain returns
 * before the container opens the socket (both Tyrus and Undertow finish the upgrade afterwards), so
 * between the two a session is counted here; the endpoint's {@code @OnOpen} takes one ticket over
 * into the open count. A handshake that fails gives its ticket back at once; one that is upgraded
 * but never opens (the peer vanished in between) loses its ticket after {@code timeout}, so no slot
 * leaks. Tickets are interchangeable: an open takes the oldest.
 */
final class Handshakes {

  private final long timeoutNanos;
  private final LongSupplier nanoTime;
  private final Deque<Long> admittedAt = new ArrayDeque<>();

  Handshakes(long timeoutNanos, LongSupplier nanoTime) {
    this.timeoutNanos = timeoutNanos;
    this.nanoTime = nanoTime;
  }

  synchronized void admitted() {
    admittedAt.addLast(nanoTime.getAsLong());
  }

  /** A socket opened, or a handshake failed: one ticket fewer, if any is left. */
  synchronized void settled() {
    admittedAt.pollFirst();
  }

  /** Handshakes under way, after forgetting those older than the timeout. */
  synchronized int inFlight() {
    long now = nanoTime.getAsLong();
    while (!admittedAt.isEmpty() && now - admittedAt.peekFirst() > timeoutNanos) {
      admittedAt.pollFirst();
    }
    return admittedAt.size();
  }
}
