package org.waterspout.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpCursorTest {

  private static final String OWN = "user:pro-42";

  @Test
  void aBareNumberIsTheUsersOwnStream() {
    assertEquals(Map.of(OWN, 42L), HttpCursor.parse("42", OWN));
    assertEquals("42", HttpCursor.format(Map.of(OWN, 42L), OWN));
  }

  @Test
  void groupStreamsFollowTheOwnNumber() {
    Map<String, Long> at = new LinkedHashMap<>();
    at.put(OWN, 7L);
    at.put("group:support", 121L);
    at.put("group:north", 0L);
    String cursor = HttpCursor.format(at, OWN);
    assertEquals("7;group:support=121;group:north=0", cursor);
    assertEquals(at, HttpCursor.parse(cursor, OWN));
  }

  @Test
  void namesOutsideThePlainCharactersAreEncodedAndComeBack() {
    Map<String, Long> at = new LinkedHashMap<>();
    at.put(OWN, 1L);
    at.put("group:a;b=c%d é", 5L);
    String cursor = HttpCursor.format(at, OWN);
    assertEquals("1;group:a%3Bb%3Dc%25d%20%C3%A9=5", cursor);
    assertEquals(at, HttpCursor.parse(cursor, OWN));
  }

  @Test
  void theOwnStreamComesFirstWhereverItIsInTheMap() {
    Map<String, Long> at = new LinkedHashMap<>();
    at.put("group:support", 3L);
    at.put(OWN, 9L);
    assertEquals("9;group:support=3", HttpCursor.format(at, OWN));
  }

  @Test
  void malformedCursorsAreRefusedWithTheExpectedForm() {
    for (String bad :
        new String[] {
          "",
          "abc",
          "-1",
          "1;",
          "1;group:x",
          "1;=4",
          "1;group:x=",
          "1;group:x=-2",
          "1;g%zz=1",
          "1;g%2=1",
          "1;g x=1",
          "99999999999999999999",
          "1.5"
        }) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> HttpCursor.parse(bad, OWN), bad);
      assertEquals(true, e.getMessage().contains("expected <seq>"), e.getMessage());
    }
    assertThrows(
        IllegalArgumentException.class, () -> HttpCursor.parse("1" + ";g=1".repeat(5_000), OWN));
  }

  @Test
  void theSseEventNameIsTheFramesOp() {
    assertEquals("notification", HttpPushClient.op("{\"op\":\"notification\",\"seq\":1}"));
    assertEquals("gap", HttpPushClient.op("{\"op\":\"gap\",\"from\":1,\"to\":2}"));
    assertEquals("message", HttpPushClient.op("{\"seq\":1}"));
  }
}
