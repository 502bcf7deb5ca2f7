package org.waterspout.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.waterspout.history.Numbered;
import org.waterspout.history.Place;

class FanoutFormatTest {

  @Test
  void readsWhatItWrote() {
    Numbered numbered =
        new Numbered(
            "wo-1001-routed",
            "{\"op\":\"notification\",\"id\":\"wo-1001-routed\",\"title\":\"Caf\u00e9 \\\"A\\\"\"}",
            1_800_000_000_000L,
            Set.of("pro-42"),
            List.of(new Place("user:pro-42", 7), new Place("group:crew-1", 12_345_678_901L)),
            true);

    assertEquals(numbered, FanoutFormat.read(FanoutFormat.write(numbered)));
  }

  @Test
  void refusesWhatIsNotItsFormat() {
    assertThrows(IllegalArgumentException.class, () -> FanoutFormat.read("not JSON"));
    assertThrows(IllegalArgumentException.class, () -> FanoutFormat.read("{\"v\":2}"));
    assertThrows(IllegalArgumentException.class, () -> FanoutFormat.read("{\"v\":1,\"id\":\"x\"}"));
    assertThrows(IllegalArgumentException.class, () -> FanoutFormat.read("[1]"));
    String whole =
        "{\"v\":1,\"id\":\"x\",\"frame\":\"{}\",\"expiresAt\":1,\"users\":[\"u\"],"
            + "\"places\":[{\"stream\":\"user:u\",\"seq\":1}],\"receipt\":false}";
    assertEquals("x", FanoutFormat.read(whole).id());
    for (String[] broken :
        new String[][] {
          {"\"users\":[\"u\"]", "\"users\":[1]"},
          {"\"users\":[\"u\"]", "\"users\":\"u\""},
          {"{\"stream\":\"user:u\",\"seq\":1}", "7"},
          {"\"seq\":1", "\"seq\":1.5"},
          {"\"receipt\":false", "\"receipt\":\"no\""},
          {",\"receipt\":false", ""},
          {"\"expiresAt\":1", "\"expiresAt\":null"},
        }) {
      String text = whole.replace(broken[0], broken[1]);
      assertThrows(IllegalArgumentException.class, () -> FanoutFormat.read(text), text);
    }
  }
}
