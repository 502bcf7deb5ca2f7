package org.waterspout.push;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.waterspout.push.ClientFrame.BadFrameException;

/**
 * Fuzzes what a client sends: a WebSocket text frame (parsed, then read as an auth, resume or ack
 * frame would be) and an HTTP cursor. Either is taken or refused with the parser's own exception,
 * whose message the client is told; anything else escaping is a finding. A normal test run replays
 * the inputs under {@code src/test/resources/org/waterspout/push/ClientFrameFuzzTestInputs}; {@code
 * JAZZER_FUZZ=1} fuzzes (see the README's Security section).
 */
class ClientFrameFuzzTest {

  @FuzzTest(maxDuration = "20s")
  void clientFrames(FuzzedDataProvider data) {
    String text = data.consumeRemainingAsString();
    try {
      ClientFrame frame = ClientFrame.parse(text);
      frame.has("after");
      try {
        frame.token();
      } catch (BadFrameException e) {
        // Not an auth frame: refused with its reason.
      }
      frame.streamNumbers("streams");
    } catch (BadFrameException e) {
      if (e.getMessage() == null || e.getMessage().isEmpty()) {
        throw new AssertionError("a refusal must say why", e);
      }
    }
    try {
      HttpCursor.parse(text, "");
    } catch (IllegalArgumentException e) {
      // A cursor that is not one: 400 with the reason.
    }
  }
}
