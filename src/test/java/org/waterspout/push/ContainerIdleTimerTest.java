package org.waterspout.push;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.glassfish.tyrus.core.TyrusSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ContainerIdleTimerTest {

  private final ScheduledExecutorService container = Executors.newSingleThreadScheduledExecutor();
  private final ScheduledExecutorService ours = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stop() {
    container.shutdownNow();
    ours.shutdownNow();
  }

  @Test
  void aTyrusSessionsTimerMovesToOurScheduler() {
    TyrusSession session = new TyrusSession(container);
    assertTrue(ContainerIdleTimer.redirect(session, ours));
    assertSame(ours, session.service());
  }

  @Test
  void aSubclassOfTyrusSessionToo() {
    TyrusSession session = new TyrusSession(container) {};
    assertTrue(ContainerIdleTimer.redirect(session, ours));
    assertSame(ours, session.service());
  }

  /** Undertow's sessions (WildFly) have no such timer: nothing is touched. */
  @Test
  void anotherContainersSessionIsLeftAlone() {
    Object session = new Object();
    assertFalse(ContainerIdleTimer.redirect(session, ours));
    TyrusSession tyrus = new TyrusSession(container);
    assertTrue(ContainerIdleTimer.redirect(tyrus, ours));
    assertFalse(ContainerIdleTimer.redirect(session, ours));
  }
}
