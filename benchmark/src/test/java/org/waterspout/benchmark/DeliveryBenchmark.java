package org.waterspout.benchmark;

import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.Queue;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.waterspout.it.support.Server;
import org.waterspout.it.support.Tokens;

/**
 * Prints figures of the whole path (JMS send → MDB → WebSocket receive) on the real servers that
 * the integration tests use. Asserts only that every notification arrived: timings are reported,
 * never asserted. Run with {@code mvn verify -Pbenchmark}.
 */
@ExtendWith(ArquillianExtension.class)
class DeliveryBenchmark {

  private static final int WARM_UP = 500;
  private static final int SEQUENTIAL = 2000;
  private static final int BURST = 10_000;
  private static final int SPREAD_USERS = 100;
  private static final int FAN_OUT_SESSIONS = 200;
  private static final int FAN_OUT_MESSAGES = 100;
  private static final Duration WAIT = Duration.ofMinutes(2);

  /** Whether the server under test stores notifications (the benchmark runs once each way). */
  private static final boolean HISTORY =
      Boolean.parseBoolean(System.getProperty("it.history.enabled", "true"));

  /** The history's store: {@code default} (H2) or {@code postgresql}. */
  private static final String STORE = System.getProperty("it.store", "default");

  private final Comparison figures =
      new Comparison(
          HISTORY ? "history-on" + ("default".equals(STORE) ? "" : "-" + STORE) : "history-off");

  @Deployment(testable = false)
  static WebArchive war() {
    return Server.builtWar();
  }

  @Test
  void measure() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    var factory = new ActiveMQConnectionFactory(System.getProperty("broker.url"));
    try (JMSContext jms = factory.createContext();
        TimedClient client = TimedClient.connect(http, Server.WEBSOCKET, Tokens.valid("bench-1"))) {
      Queue input = jms.createQueue("waterspout.notifications");
      JMSProducer persistent = jms.createProducer().setDeliveryMode(DeliveryMode.PERSISTENT);

      print(
          "History",
          HISTORY ? "on (stored before pushed), store " + STORE : "off (pushed live only)");
      print("Memory before load", memory());
      sequential(client, persistent, input, "warm", WARM_UP);
      Stats latency = sequential(client, persistent, input, "seq", SEQUENTIAL);
      print("End-to-end latency, one at a time (persistent JMS send to WebSocket frame)", latency);
      figures.put("latency p50 ms", latency.percentileMillis(50));
      figures.put("latency p90 ms", latency.percentileMillis(90));
      figures.put("latency p99 ms", latency.percentileMillis(99));

      burst(factory, client, input);
      burstSpread(http, factory, input);

      fanOut(http, persistent, input);
      print("Memory after load", memory());
    }
    figures.finish();
  }

  /**
   * Intake capacity: the producer sends in transacted batches ({@link #sendBurst}), so the figure
   * shows WaterSpout's side, not the producer's.
   */
  private void burst(ActiveMQConnectionFactory factory, TimedClient client, Queue input)
      throws Exception {
    client.expect(BURST);
    Sent burst = sendBurst(factory, input, "burst", i -> "\"users\":[\"bench-1\"]");
    long start = burst.start();
    long sent = burst.end();
    assertTrue(client.await(WAIT), "burst not delivered");
    long done = System.nanoTime();
    print(
        "Burst of " + BURST + " persistent messages (producer commits every 100)",
        String.format(
            "sent in %.2f s (%.0f msg/s); all pushed after %.2f s: %.0f msg/s end to end",
            (sent - start) / 1e9,
            BURST / ((sent - start) / 1e9),
            (done - start) / 1e9,
            BURST / ((done - start) / 1e9)));
    figures.put("intake 1 user msg/s", BURST / ((done - start) / 1e9));
  }

  /**
   * The same burst spread over {@link #SPREAD_USERS} users, each with a session: the usual case,
   * where no one user's sequence serializes the intake.
   */
  private void burstSpread(HttpClient http, ActiveMQConnectionFactory factory, Queue input)
      throws Exception {
    List<TimedClient> users = new ArrayList<>();
    try {
      for (int u = 0; u < SPREAD_USERS; u++) {
        TimedClient user = TimedClient.connect(http, Server.WEBSOCKET, Tokens.valid("spread-" + u));
        user.expect(BURST / SPREAD_USERS);
        users.add(user);
      }
      long start =
          sendBurst(
                  factory, input, "spread", i -> "\"users\":[\"spread-" + i % SPREAD_USERS + "\"]")
              .start();
      for (TimedClient user : users) {
        assertTrue(user.await(WAIT), "spread burst not delivered");
      }
      long done = System.nanoTime();
      print(
          "Burst of " + BURST + " persistent messages over " + SPREAD_USERS + " users",
          String.format(
              "all pushed after %.2f s: %.0f msg/s end to end",
              (done - start) / 1e9, BURST / ((done - start) / 1e9)));
      figures.put("intake " + SPREAD_USERS + " users msg/s", BURST / ((done - start) / 1e9));
    } finally {
      users.forEach(TimedClient::close);
    }
  }

  /** When a burst began, and when its last commit returned (System.nanoTime). */
  private record Sent(long start, long end) {}

  /**
   * Sends {@link #BURST} persistent messages with ids {@code prefix-i} to {@code to.apply(i)}, in
   * transactions of 100 (one broker sync per batch, as an order system's batch job would).
   */
  private static Sent sendBurst(
      ActiveMQConnectionFactory factory, Queue input, String prefix, IntFunction<String> to) {
    try (JMSContext batch = factory.createContext(JMSContext.SESSION_TRANSACTED)) {
      JMSProducer producer = batch.createProducer().setDeliveryMode(DeliveryMode.PERSISTENT);
      long start = System.nanoTime();
      for (int i = 0; i < BURST; i++) {
        producer.send(input, message(prefix + "-" + i, to.apply(i)));
        if (i % 100 == 99) {
          batch.commit();
        }
      }
      batch.commit();
      return new Sent(start, System.nanoTime());
    }
  }

  private Stats sequential(
      TimedClient client, JMSProducer producer, Queue input, String prefix, int count)
      throws Exception {
    long[] nanos = new long[count];
    for (int i = 0; i < count; i++) {
      String id = prefix + "-" + i;
      client.expect(1);
      long sent = System.nanoTime();
      producer.send(input, message(id, "\"users\":[\"bench-1\"]"));
      assertTrue(client.await(WAIT), id + " not delivered");
      nanos[i] = client.arrivals.get(id) - sent;
    }
    return Stats.of(nanos);
  }

  private void fanOut(HttpClient http, JMSProducer producer, Queue input) throws Exception {
    List<TimedClient> group = new ArrayList<>();
    try {
      for (int i = 0; i < FAN_OUT_SESSIONS; i++) {
        group.add(
            TimedClient.connect(http, Server.WEBSOCKET, Tokens.valid("fan-" + i, "bench-group")));
      }
      long[] lastArrival = new long[FAN_OUT_MESSAGES];
      for (int m = 0; m < FAN_OUT_MESSAGES; m++) {
        String id = "fan-" + m;
        group.forEach(c -> c.expect(1));
        long sent = System.nanoTime();
        producer.send(input, message(id, "\"groups\":[\"bench-group\"]"));
        long last = 0;
        for (TimedClient c : group) {
          assertTrue(c.await(WAIT), id + " not delivered to every session");
          last = Math.max(last, c.arrivals.get(id));
        }
        lastArrival[m] = last - sent;
      }
      print(
          "Fan-out to a group of " + FAN_OUT_SESSIONS + " sessions, time until the last one has it",
          Stats.of(lastArrival));
    } finally {
      group.forEach(TimedClient::close);
    }
  }

  private static String message(String id, String to) {
    return "{\"id\":\""
        + id
        + "\",\"type\":\"work-order.routed\",\"to\":{"
        + to
        + "},\"title\":\"New work order\",\"body\":\"Leak repair at 12 Elm St\","
        + "\"data\":{\"workOrderId\":1001}}";
  }

  /** Resident memory (now and peak) of the server and broker processes, from /proc. */
  private static String memory() {
    StringBuilder text = new StringBuilder();
    ProcessHandle.allProcesses()
        .forEach(
            p -> {
              String command = p.info().commandLine().orElse("");
              String name = serverName(command);
              if (name != null) {
                text.append(String.format("%n    %-15s pid %d: %s", name, p.pid(), rss(p.pid())));
              }
            });
    return text.toString();
  }

  private static String serverName(String command) {
    if (!command.contains("java") || command.contains("org.waterspout.run.Launcher")) {
      return null;
    }
    for (String[] server :
        new String[][] {
          {"payara-micro.jar", "Payara Micro"},
          {"glassfish.jar", "Payara Server"},
          {"jboss-modules.jar", "WildFly"},
          {"artemis.boot.Artemis", "Artemis broker"}
        }) {
      if (command.contains(server[0])) {
        return server[1];
      }
    }
    return null;
  }

  private static String rss(long pid) {
    try {
      return Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status")).stream()
          .filter(l -> l.startsWith("VmRSS") || l.startsWith("VmHWM"))
          .map(l -> l.replaceAll("\\s+", " "))
          .reduce((a, b) -> a + ", " + b)
          .orElse("?");
    } catch (Exception e) {
      return "unreadable";
    }
  }

  private static void print(String what, Object figures) {
    System.out.println("[benchmark] " + what + ": " + figures);
  }
}
