package org.waterspout.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EarlyFramesTest {

  private final EarlyFrames early = new EarlyFrames();
  private final AtomicInteger tooMany = new AtomicInteger();

  @Test
  void framesBeforeTheWelcomeAreHandledInOrderAfterIt() {
    assertTrue(early.keep("a", tooMany::incrementAndGet));
    assertTrue(early.keep("b", tooMany::incrementAndGet));
    List<String> handled = new ArrayList<>();
    early.release(handled::add);
    assertEquals(List.of("a", "b"), handled);
    assertFalse(early.keep("c", tooMany::incrementAndGet));
    assertEquals(0, tooMany.get());
  }

  @Test
  void moreThanTheLimitIsRefusedAndNotKept() {
    for (int i = 0; i < EarlyFrames.MAX; i++) {
      assertTrue(early.keep("f" + i, tooMany::incrementAndGet));
    }
    assertEquals(0, tooMany.get());
    assertTrue(early.keep("one too many", tooMany::incrementAndGet));
    assertEquals(1, tooMany.get());
    List<String> handled = new ArrayList<>();
    early.release(handled::add);
    assertEquals(EarlyFrames.MAX, handled.size());
  }
}
