package org.waterspout.notification;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Instant;

/**
 * Fuzzes the order system's messages: a body is either a notification (which encodes to a frame) or
 * refused with {@link InvalidNotificationException} and a reason for the rejected queue; anything
 * else escaping would redeliver a message forever, and is a finding.
 */
class NotificationCodecFuzzTest {

  private final NotificationCodec codec = new NotificationCodec(Limits.defaults());

  @FuzzTest(maxDuration = "20s")
  void messages(FuzzedDataProvider data) {
    String body = data.consumeRemainingAsString();
    try {
      Notification n = codec.decode(body, "fallback-id", Instant.EPOCH);
      String frame = codec.encodeFrame(n);
      NotificationCodec.parseObject(frame);
    } catch (InvalidNotificationException e) {
      if (e.getMessage() == null || e.getMessage().isEmpty()) {
        throw new AssertionError("a rejection must say why", e);
      }
    }
  }
}
