package org.waterspout.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class SessionBudgetTest {

  private static final long MIB = 1024 * 1024;

  @Test
  void readsTheSoftOpenFileLimit() {
    List<String> limits =
        List.of(
            "Limit                     Soft Limit           Hard Limit           Units     ",
            "Max processes             63432                63432                processes ",
            "Max open files            20000                524288               files     ");

    assertEquals(OptionalLong.of(20000), SessionBudget.openFileLimit(limits));
  }

  @Test
  void noLimitWhenUnlimitedOrMissing() {
    assertTrue(
        SessionBudget.openFileLimit(List.of("Max open files  unlimited  unlimited  files"))
            .isEmpty());
    assertTrue(SessionBudget.openFileLimit(List.of()).isEmpty());
  }

  @Test
  void theSmallerOfTheHeapsShareAndTheFilesShare() {
    // 1 GiB: three quarters at 40 KiB a session is 19,660; 20,000 files less the reserve 18,976.
    assertEquals(18_976, SessionBudget.limit(1024 * MIB, OptionalLong.of(20_000)));
    assertEquals(19_660, SessionBudget.limit(1024 * MIB, OptionalLong.empty()));
    assertEquals(9_830, SessionBudget.limit(512 * MIB, OptionalLong.of(20_000)));
  }

  @Test
  void atLeastOne() {
    assertEquals(1, SessionBudget.limit(512 * MIB, OptionalLong.of(100)));
  }
}
