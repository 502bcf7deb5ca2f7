package org.waterspout.history;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class HistoryChunksTest {

  @Test
  void namesAreSplitIntoInListsTheDatabaseTakes() {
    List<String> names = IntStream.range(0, 2_501).mapToObj(i -> "u" + i).toList();
    List<List<String>> chunks = StreamRows.chunks(names);
    assertEquals(List.of(1000, 1000, 501), chunks.stream().map(List::size).toList());
    assertEquals(names, chunks.stream().flatMap(List::stream).toList());
  }

  @Test
  void noNamesNoLists() {
    assertEquals(List.of(), StreamRows.chunks(List.of()));
  }
}
