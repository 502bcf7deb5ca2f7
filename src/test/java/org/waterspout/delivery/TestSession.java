package org.waterspout.delivery;

import java.time.Instant;
import java.util.Set;
import java.util.function.Consumer;

/** A session for unit tests: does with each delivered frame whatever the test says. */
record TestSession(String id, String user, Set<String> groups, Consumer<Outgoing> onDeliver)
    implements ClientSession {

  static TestSession idle(String id, String user, Set<String> groups) {
    return new TestSession(id, user, groups, frame -> {});
  }

  @Override
  public Instant openedAt() {
    return Instant.EPOCH;
  }

  @Override
  public int queued() {
    return 0;
  }

  @Override
  public boolean deliver(Outgoing frame) {
    onDeliver.accept(frame);
    return true;
  }

  @Override
  public void disconnect(String reason) {}
}
