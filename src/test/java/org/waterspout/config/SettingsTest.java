package org.waterspout.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SettingsTest {

  private static final String GOOD_SECRET = "0123456789abcdef0123456789abcdef";

  private static Settings settings(Map<String, String> values) {
    return Settings.from(key -> Optional.ofNullable(values.get(key)));
  }

  @Test
  void defaultsMatchTheDocumentedContract() {
    Settings s = settings(Map.of(ConfigKeys.TOKEN_SECRET, GOOD_SECRET));

    assertEquals(64 * 1024, s.maxMessageBytes());
    assertEquals(Duration.ofSeconds(10), s.authTimeout());
    assertEquals(false, s.demoEnabled());
    assertEquals(java.util.List.of(), s.problems());
  }

  @Test
  void refusesToStartWithoutASecretOutsideDemoMode() {
    var problems = settings(Map.of()).problems();

    assertEquals(1, problems.size());
    assertTrue(problems.get(0).contains("waterspout.token.secret is not set"));
  }

  @Test
  void refusesAFrameLimitNoServerShouldBuffer() {
    var problems =
        settings(
                Map.of(ConfigKeys.TOKEN_SECRET, GOOD_SECRET, ConfigKeys.MAX_FRAME_BYTES, "2000000"))
            .problems();

    assertEquals(1, problems.size());
    assertTrue(problems.get(0).contains("at most 1048576"), problems::toString);
  }

  @Test
  void refusesAShortSecretOutsideDemoMode() {
    var problems = settings(Map.of(ConfigKeys.TOKEN_SECRET, "short")).problems();

    assertEquals(1, problems.size());
    assertTrue(problems.get(0).contains("too short"));
  }

  @Test
  void demoModeStartsWithAShortSecretButDoesNotUseIt() {
    Settings demo =
        settings(Map.of(ConfigKeys.TOKEN_SECRET, "short", ConfigKeys.DEMO_ENABLED, "true"));

    assertEquals(java.util.List.of(), demo.problems());
    assertTrue(demo.usableSecret().isEmpty());
  }

  @Test
  void demoModeMayRunWithoutASecret() {
    assertEquals(java.util.List.of(), settings(Map.of(ConfigKeys.DEMO_ENABLED, "true")).problems());
  }

  @Test
  void reportsUnreadableAndOutOfRangeNumbers() {
    var problems =
        settings(
                Map.of(
                    ConfigKeys.TOKEN_SECRET, GOOD_SECRET,
                    ConfigKeys.MAX_MESSAGE_BYTES, "lots",
                    ConfigKeys.OUTBOX_CAPACITY, "0"))
            .problems();

    assertEquals(2, problems.size(), problems::toString);
  }
}
