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
  void protectionDefaultsMatchTheReadme() {
    Settings.Protection p = settings(Map.of(ConfigKeys.TOKEN_SECRET, GOOD_SECRET)).protection();

    assertEquals(0, p.maxSessions());
    assertEquals(1000, p.maxHandshakesPerSecond());
    assertEquals(90, p.heapWatermarkPercent());
    assertEquals(Duration.ofSeconds(25), p.pingInterval());
  }

  @Test
  void protectionOutOfRangeIsAProblem() {
    Settings s =
        settings(
            Map.of(
                ConfigKeys.TOKEN_SECRET, GOOD_SECRET,
                ConfigKeys.MAX_SESSIONS, "-1",
                ConfigKeys.MAX_HANDSHAKES_PER_SECOND, "0",
                ConfigKeys.HEAP_WATERMARK_PERCENT, "101",
                ConfigKeys.PING_INTERVAL_SECONDS, "0"));

    String problems = String.join("; ", s.problems());
    assertTrue(problems.contains(ConfigKeys.MAX_SESSIONS + " must be at least 0"), problems);
    assertTrue(problems.contains(ConfigKeys.MAX_HANDSHAKES_PER_SECOND), problems);
    assertTrue(problems.contains(ConfigKeys.HEAP_WATERMARK_PERCENT + " must be at most"), problems);
    assertTrue(problems.contains(ConfigKeys.PING_INTERVAL_SECONDS), problems);
  }

  @Test
  void historyDefaultsMatchTheReadme() {
    Settings.History h = settings(Map.of(ConfigKeys.TOKEN_SECRET, GOOD_SECRET)).history();

    assertEquals(true, h.enabled());
    assertEquals(true, h.createSchema());
    assertEquals(Duration.ofDays(7), h.maxAge());
    assertEquals(1000, h.maxPerUser());
    assertEquals(Duration.ofSeconds(60), h.purgeInterval());
    assertEquals(Duration.ofSeconds(300), h.unseenAfter());
    assertEquals(Duration.ofSeconds(30), h.groupAckDelay());
    assertEquals(5, h.intakeMaxAttempts());
  }

  @Test
  void aPoisonMessageNeedsAtLeastOneAttempt() {
    var problems =
        settings(Map.of(ConfigKeys.TOKEN_SECRET, GOOD_SECRET, ConfigKeys.INTAKE_MAX_ATTEMPTS, "0"))
            .problems();

    assertEquals(1, problems.size(), problems::toString);
    assertTrue(problems.get(0).contains("waterspout.intake.max-attempts must be at least 1"));
  }

  @Test
  void refusesMessagesTooLargeForTheHistoryAndNonsenseRetention() {
    var problems =
        settings(
                Map.of(
                    ConfigKeys.TOKEN_SECRET, GOOD_SECRET,
                    ConfigKeys.MAX_MESSAGE_BYTES, "2000000",
                    ConfigKeys.HISTORY_MAX_PER_USER, "0",
                    ConfigKeys.RECEIPT_UNSEEN_AFTER_SECONDS, "soon"))
            .problems();

    assertEquals(3, problems.size(), problems::toString);
    assertTrue(problems.get(0).contains("waterspout.message.max-bytes must be at most 1000000"));
    assertTrue(problems.get(1).contains("waterspout.history.max-per-user must be at least 1"));
    assertTrue(problems.get(2).contains("waterspout.receipts.unseen-after-seconds"));
  }

  @Test
  void refusesUnseenReceiptsDueAfterRetentionDeletedTheNotification() {
    var problems =
        settings(
                Map.of(
                    ConfigKeys.TOKEN_SECRET, GOOD_SECRET,
                    ConfigKeys.HISTORY_MAX_AGE_MINUTES, "5",
                    ConfigKeys.RECEIPT_UNSEEN_AFTER_SECONDS, "300"))
            .problems();

    assertEquals(1, problems.size(), problems::toString);
    assertTrue(problems.get(0).contains("must be shorter than waterspout.history.max-age-minutes"));
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
