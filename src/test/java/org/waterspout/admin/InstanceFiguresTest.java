package org.waterspout.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.waterspout.admin.InstanceFigures.Instance;
import org.waterspout.admin.InstanceFigures.Published;
import org.waterspout.admin.InstanceFigures.Sample;

class InstanceFiguresTest {

  private static final Duration EVERY = Duration.ofSeconds(5);

  /** Six samples (30 s) kept; silent after 15 s. */
  private final InstanceFigures figures = new InstanceFigures(6, Duration.ofSeconds(15));

  private static Sample at(long at, int sessions, double perSecond) {
    return new Sample(at, sessions, perSecond, 1.5, 9.2, 40);
  }

  @Test
  void anInstanceKeepsItsLastSamplesOnly() {
    for (long t = 1; t <= 8; t++) {
      figures.own("me", "localhost:8081", at(t * 5000, (int) t, 0));
    }

    List<Instance> view = figures.view(40_000, EVERY);
    assertEquals(1, view.size());
    assertEquals(
        List.of(3, 4, 5, 6, 7, 8), view.get(0).samples().stream().map(Sample::sessions).toList());
    assertTrue(view.get(0).self());
  }

  @Test
  void anotherInstancesSeriesTravelsAsJsonAndReplacesWhatWasHeardBefore() {
    figures.own("me", "localhost:8081", at(10_000, 7, 2));
    Published peer =
        new Published("peer", "localhost:8082", List.of(at(5_000, 1, 0), at(10_000, 2, 3.5)));

    figures.heard(InstanceFigures.read(InstanceFigures.write(peer)), 10_000);
    figures.heard(
        InstanceFigures.read(
            InstanceFigures.write(
                new Published("peer", "localhost:8082", List.of(at(15_000, 4, 1))))),
        15_000);

    List<Instance> view = figures.view(15_000, EVERY);
    assertEquals(
        List.of("localhost:8081", "localhost:8082"), view.stream().map(Instance::name).toList());
    assertEquals(List.of(at(15_000, 4, 1)), view.get(1).samples());
    JsonObject json = InstanceFigures.json(view, EVERY);
    assertEquals(11, json.getJsonObject("total").getInt("sessions"));
    assertEquals(
        3.0, json.getJsonObject("total").getJsonNumber("deliveredPerSecond").doubleValue());
    assertEquals(
        9.2,
        json.getJsonArray("instances")
            .getJsonObject(0)
            .getJsonArray("samples")
            .getJsonObject(0)
            .getJsonNumber("p99Millis")
            .doubleValue());
  }

  @Test
  void ourOwnSeriesBackFromTheTopicChangesNothing() {
    figures.own("me", "localhost:8081", at(10_000, 7, 2));

    figures.heard(new Published("me", "localhost:8081", List.of(at(1, 99, 99))), 10_000);

    assertEquals(List.of(at(10_000, 7, 2)), figures.view(10_000, EVERY).get(0).samples());
  }

  @Test
  void anInstanceNotHeardFromIsSilentThenForgottenAndNotCounted() {
    figures.own("me", "a", at(0, 1, 0));
    figures.heard(new Published("peer", "b", List.of(at(0, 5, 10))), 0);

    assertEquals("live", state(figures.view(15_000, EVERY)));
    List<Instance> silent = figures.view(15_001, EVERY);
    assertEquals("silent", state(silent));
    assertEquals(1, InstanceFigures.json(silent, EVERY).getJsonObject("total").getInt("sessions"));
    // Kept for as long as its series reaches (6 samples of 5 s), then forgotten; ours stays.
    assertEquals(2, figures.view(30_000, EVERY).size());
    assertEquals(List.of("a"), figures.view(30_001, EVERY).stream().map(Instance::name).toList());
  }

  @Test
  void figuresThatAreNotOursAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> InstanceFigures.read("{\"v\":1}"));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            InstanceFigures.read(
                "{\"v\":1,\"kind\":\"figures\",\"id\":\"x\",\"name\":\"y\",\"samples\":[[1,2]]}"));
    assertThrows(IllegalArgumentException.class, () -> InstanceFigures.read("not json"));
  }

  private static String state(List<Instance> view) {
    return InstanceFigures.json(view, EVERY)
        .getJsonArray("instances")
        .getJsonObject(1)
        .getString("state");
  }
}
