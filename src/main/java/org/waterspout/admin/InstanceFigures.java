package org.waterspout.admin;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.waterspout.notification.Jsons;
import org.waterspout.notification.NotificationCodec;

/**
 * The figures of every instance of a cluster over the last minutes, as one instance knows them: its
 * own samples, and the latest series each other instance published on the fan-out topic (each
 * publishes its whole series, so an instance that starts sees the others' past at once). An
 * instance not heard from for {@link #silentAfter} is shown as silent, and forgotten once its last
 * sample is older than the series reaches. Safe for concurrent use.
 */
final class InstanceFigures {

  /**
   * One sample of one instance.
   *
   * @param at when it was taken, epoch milliseconds
   * @param sessions open WebSocket sessions
   * @param deliveredPerSecond notifications handed to sessions per second since the sample before
   * @param p50Millis median delivery latency of the recent window
   * @param p99Millis 99th percentile of the same
   * @param heapPercent old generation's use after the last collection
   */
  record Sample(
      long at,
      int sessions,
      double deliveredPerSecond,
      double p50Millis,
      double p99Millis,
      int heapPercent) {}

  /** One instance, as {@link #view} shows it. */
  record Instance(String id, String name, boolean self, boolean silent, List<Sample> samples) {

    Sample last() {
      return samples.get(samples.size() - 1);
    }
  }

  /** The format's version: an instance ignores figures it cannot read. */
  static final int VERSION = 1;

  private final int kept;
  private final Duration silentAfter;
  private final Map<String, Series> series = new LinkedHashMap<>();

  private static final class Series {
    final String name;
    final boolean self;
    final Deque<Sample> samples = new ArrayDeque<>();
    long heardAt;

    Series(String name, boolean self) {
      this.name = name;
      this.self = self;
    }
  }

  /**
   * @param kept samples kept per instance
   * @param silentAfter an instance not heard from for this long is silent
   */
  InstanceFigures(int kept, Duration silentAfter) {
    this.kept = kept;
    this.silentAfter = silentAfter;
  }

  /** Adds a sample of this instance. */
  synchronized void own(String id, String name, Sample sample) {
    Series mine = series.computeIfAbsent(id, i -> new Series(name, true));
    mine.samples.addLast(sample);
    while (mine.samples.size() > kept) {
      mine.samples.removeFirst();
    }
    mine.heardAt = sample.at();
  }

  /** This instance's series, as {@link #write} publishes it; empty before its first sample. */
  synchronized List<Sample> ownSamples(String id) {
    Series mine = series.get(id);
    return mine == null ? List.of() : List.copyOf(mine.samples);
  }

  /** What another instance published (see {@link #write}), heard at {@code now}. */
  synchronized void heard(Published published, long now) {
    Series peer = series.get(published.id());
    if (peer == null || peer.self) {
      if (peer != null) {
        return; // our own, back from the topic
      }
      peer = new Series(published.name(), false);
      series.put(published.id(), peer);
    }
    peer.samples.clear();
    List<Sample> samples = published.samples();
    for (Sample sample : samples.subList(Math.max(0, samples.size() - kept), samples.size())) {
      peer.samples.addLast(sample);
    }
    peer.heardAt = now;
  }

  /** Every instance with a sample, sorted by name; those gone for good are forgotten first. */
  synchronized List<Instance> view(long now, Duration every) {
    long forgetAfter = every.toMillis() * kept;
    series.values().removeIf(s -> !s.self && now - s.heardAt > forgetAfter);
    List<Instance> instances = new ArrayList<>();
    for (Map.Entry<String, Series> entry : series.entrySet()) {
      Series s = entry.getValue();
      if (!s.samples.isEmpty()) {
        instances.add(
            new Instance(
                entry.getKey(),
                s.name,
                s.self,
                !s.self && now - s.heardAt > silentAfter.toMillis(),
                List.copyOf(s.samples)));
      }
    }
    instances.sort(Comparator.comparing(Instance::name).thenComparing(Instance::id));
    return instances;
  }

  /** What one instance publishes: its id, its name and its series. */
  record Published(String id, String name, List<Sample> samples) {}

  /**
   * {@code {"v":1,"kind":"figures","id":...,"name":...,"samples":[[at, sessions, perSecond, p50,
   * p99, heap], ...]}}.
   */
  static String write(Published published) {
    JsonArrayBuilder samples = Jsons.PROVIDER.createArrayBuilder();
    for (Sample s : published.samples()) {
      samples.add(
          Jsons.PROVIDER
              .createArrayBuilder()
              .add(s.at())
              .add(s.sessions())
              .add(round(s.deliveredPerSecond()))
              .add(round(s.p50Millis()))
              .add(round(s.p99Millis()))
              .add(s.heapPercent()));
    }
    return NotificationCodec.write(
        Jsons.PROVIDER
            .createObjectBuilder()
            .add("v", VERSION)
            .add("kind", "figures")
            .add("id", published.id())
            .add("name", published.name())
            .add("samples", samples)
            .build());
  }

  /** Reads what {@link #write} wrote; throws {@link IllegalArgumentException} for anything else. */
  static Published read(String text) {
    try (JsonReader reader = Jsons.PROVIDER.createReader(new StringReader(text))) {
      JsonObject json = reader.readObject();
      if (json.getInt("v", 0) != VERSION || !"figures".equals(json.getString("kind", ""))) {
        throw new IllegalArgumentException("not version " + VERSION + " of the figures format");
      }
      String id = json.getString("id", null);
      String name = json.getString("name", null);
      JsonValue series = json.get("samples");
      if (id == null || name == null || series == null) {
        throw new IllegalArgumentException("figures without an id, a name or samples");
      }
      List<Sample> samples = new ArrayList<>();
      for (JsonValue value : series.asJsonArray()) {
        JsonArray s = value.asJsonArray();
        samples.add(
            new Sample(
                s.getJsonNumber(0).longValueExact(),
                s.getJsonNumber(1).intValueExact(),
                s.getJsonNumber(2).doubleValue(),
                s.getJsonNumber(3).doubleValue(),
                s.getJsonNumber(4).doubleValue(),
                s.getJsonNumber(5).intValueExact()));
      }
      return new Published(id, name, samples);
    } catch (JsonException | ClassCastException | ArithmeticException e) {
      throw new IllegalArgumentException("unreadable figures: " + e.getMessage(), e);
    } catch (IndexOutOfBoundsException e) {
      throw new IllegalArgumentException("a sample with fewer than six figures", e);
    }
  }

  /** The admin page's view: each instance with its series, and the live ones' latest summed. */
  static JsonObject json(List<Instance> instances, Duration every) {
    JsonArrayBuilder all = Jsons.PROVIDER.createArrayBuilder();
    int sessions = 0;
    double perSecond = 0;
    int live = 0;
    for (Instance instance : instances) {
      JsonArrayBuilder samples = Jsons.PROVIDER.createArrayBuilder();
      for (Sample s : instance.samples()) {
        samples.add(
            Jsons.PROVIDER
                .createObjectBuilder()
                .add("at", s.at())
                .add("sessions", s.sessions())
                .add("deliveredPerSecond", round(s.deliveredPerSecond()))
                .add("p50Millis", round(s.p50Millis()))
                .add("p99Millis", round(s.p99Millis()))
                .add("heapPercent", s.heapPercent()));
      }
      JsonObjectBuilder one =
          Jsons.PROVIDER
              .createObjectBuilder()
              .add("id", instance.id())
              .add("name", instance.name())
              .add("self", instance.self())
              .add("state", instance.silent() ? "silent" : "live")
              .add("samples", samples);
      all.add(one);
      if (!instance.silent()) {
        live++;
        sessions += instance.last().sessions();
        perSecond += instance.last().deliveredPerSecond();
      }
    }
    return Jsons.PROVIDER
        .createObjectBuilder()
        .add("everyMillis", every.toMillis())
        .add("instances", all)
        .add(
            "total",
            Jsons.PROVIDER
                .createObjectBuilder()
                .add("live", live)
                .add("sessions", sessions)
                .add("deliveredPerSecond", round(perSecond)))
        .build();
  }

  private static double round(double value) {
    return Math.round(value * 10) / 10.0;
  }
}
