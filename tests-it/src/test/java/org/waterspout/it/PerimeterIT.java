package org.waterspout.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import javax.management.Attribute;
import javax.management.MBeanServerConnection;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.waterspout.it.support.Admin;
import org.waterspout.it.support.Jmx;
import org.waterspout.it.support.RawWebSocket;
import org.waterspout.it.support.Server;
import org.waterspout.it.support.Tokens;
import org.waterspout.it.support.WsClient;

/**
 * The perimeter and the per-session limits, tried as an attacker would with raw sockets: a foreign
 * Origin, a denied address (the test servers deny {@value #DENIED} and trust {@value #PROXY} as a
 * proxy: pom.xml), a forged {@code X-Forwarded-For}, a frame flood and too many sessions of one
 * user. Each refusal is checked beside a request that differs only in what the defence looks at,
 * and which passes, so a test cannot pass because the path is broken.
 */
@ExtendWith(ArquillianExtension.class)
class PerimeterIT {

  static final String DENIED = "127.0.0.77";
  static final String PROXY = "127.0.0.66";
  private static final String ELSEWHERE = "127.0.0.5";
  private static final String HOARDER = "127.0.0.56";
  private static final String FLOODER = "127.0.0.58";
  private static final ObjectName SESSIONS = name("org.waterspout:type=Sessions");

  private static ObjectName name(String name) {
    try {
      return new ObjectName(name);
    } catch (MalformedObjectNameException e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Deployment(testable = false)
  static WebArchive war() {
    return Server.builtWar();
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID();
  }

  /** The status code of a WebSocket handshake (or another GET) sent from {@code local}. */
  private static int status(String local, String path, String... headers) throws Exception {
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(local), 0));
      socket.connect(
          new InetSocketAddress(Server.WEBSOCKET.getHost(), Server.WEBSOCKET.getPort()), 10_000);
      socket.setSoTimeout(20_000);
      StringBuilder request =
          new StringBuilder("GET /waterspout/" + path + " HTTP/1.1\r\n")
              .append("Host: localhost:")
              .append(Server.WEBSOCKET.getPort())
              .append("\r\n");
      if (path.equals("ws")) {
        request
            .append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
            .append("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n");
      }
      for (String header : headers) {
        request.append(header).append("\r\n");
      }
      request.append("\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String line =
          new BufferedReader(
                  new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
              .readLine();
      // "HTTP/1.1 101 Switching Protocols"
      return Integer.parseInt(line.split(" ")[1]);
    }
  }

  private static double refused(String reason) throws Exception {
    String prefix = "waterspout_refused_total{reason=\"" + reason + "\"}";
    for (String line : Admin.ANONYMOUS.get("metrics").body().split("\n")) {
      if (line.startsWith(prefix)) {
        return Double.parseDouble(line.substring(prefix.length()).trim());
      }
    }
    throw new AssertionError("no " + prefix + " in /metrics");
  }

  @Test
  void aForeignOriginIsRefusedBeforeTheUpgradeAndTheServersOwnIsNot() throws Exception {
    double before = refused("origin");
    String own = "Origin: http://localhost:" + Server.WEBSOCKET.getPort();
    assertEquals(101, status("127.0.0.1", "ws", own));
    assertEquals(101, status("127.0.0.1", "ws"), "a client that sends no Origin is no page");
    assertEquals(403, status("127.0.0.1", "ws", "Origin: http://evil.example"));
    assertEquals(403, status("127.0.0.1", "ws", "Origin: http://localhost:1"));
    assertEquals(403, status("127.0.0.1", "ws", "Origin: null"));
    // The HTTP transports too (an EventSource with a ticket is sent cross-site as easily).
    assertEquals(403, status("127.0.0.1", "sse", "Origin: http://evil.example"));
    assertEquals(401, status("127.0.0.1", "sse", own), "past the perimeter: no token");
    assertEquals(before + 4, refused("origin"));
  }

  @Test
  void aDeniedAddressIsRefusedAndCannotHideBehindAForgedForwardedFor() throws Exception {
    double before = refused("address");
    assertEquals(101, status(ELSEWHERE, "ws"));
    assertEquals(403, status(DENIED, "ws"));
    assertEquals(403, status(DENIED, "ws", "X-Forwarded-For: " + ELSEWHERE));
    assertEquals(403, status(DENIED, "ws", "Forwarded: for=" + ELSEWHERE));
    assertEquals(403, status(DENIED, "sse"));
    // An untrusted peer's forwarding headers are not read, whatever they say.
    assertEquals(101, status(ELSEWHERE, "ws", "X-Forwarded-For: " + DENIED));
    // The trusted proxy's are: the client it names is the one that counts.
    assertEquals(403, status(PROXY, "ws", "X-Forwarded-For: " + ELSEWHERE + ", " + DENIED));
    assertEquals(403, status(PROXY, "ws", "Forwarded: for=\"" + DENIED + ":5555\""));
    assertEquals(101, status(PROXY, "ws", "X-Forwarded-For: " + DENIED + ", " + ELSEWHERE));
    assertEquals(before + 6, refused("address"));
  }

  @Test
  void aSessionThatFloodsFramesIsClosedWith1008() throws Exception {
    double before = refused("frame-rate");
    String token = Tokens.valid(unique("flooder"));
    try (WsClient calm = WsClient.signedIn(Tokens.valid(unique("calm")));
        WsClient flood = WsClient.signedIn(token)) {
      // Well inside the allowance (a burst of 100): answered, not closed.
      for (int i = 0; i < 20; i++) {
        calm.send("{\"op\":\"ping\"}");
      }
      // Each ping waits for its pong (about a thousand a second here, far past 50): so when the
      // server closes, no frame of ours is on the way to it. One still in flight would reach a
      // closed socket, whose reset can discard the close frame before the client reads it (1006,
      // "Broken pipe", as a client that keeps writing may see).
      for (int i = 0; i < 1000 && !flood.isClosed(); i++) {
        try {
          flood.send("{\"op\":\"ping\"}");
        } catch (ExecutionException closedMeanwhile) {
          // The server closed it between the check and this send: what the test waits for.
          break;
        }
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (flood.poll(Duration.ofMillis(50)) == null && !flood.isClosed()) {
          assertTrue(System.nanoTime() < until, "no pong within 10 s");
        }
      }
      WsClient.Closed closed = flood.awaitClose(Duration.ofSeconds(20));
      assertEquals(1008, closed.code(), closed::toString);
      assertTrue(closed.reason().contains("too many frames"), closed::toString);
      calm.send("{\"op\":\"ping\"}");
      int pongs = 0;
      while (pongs < 21) {
        if ("pong".equals(calm.next().getString("op", ""))) {
          pongs++;
        }
      }
      assertTrue(!calm.isClosed(), "the calm session stays open");
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> refused("frame-rate") == before + 1);
  }

  @Test
  void oneUserGetsAtMostItsSessionsAndAnotherOnceOneCloses() throws Exception {
    double before = refused("user-sessions");
    String owner = unique("many-tabs");
    String token = Tokens.valid(owner);
    List<WsClient> tabs = new ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        tabs.add(WsClient.signedIn(token));
      }
      try (WsClient oneTooMany = WsClient.connect()) {
        oneTooMany.send("{\"op\":\"auth\",\"token\":\"" + token + "\"}");
        WsClient.Closed closed = oneTooMany.awaitClose(Duration.ofSeconds(20));
        assertEquals(1008, closed.code(), closed::toString);
        assertTrue(closed.reason().contains("too many sessions"), closed::toString);
      }
      // Another user is not held back by this one.
      try (WsClient other = WsClient.signedIn(Tokens.valid(unique("other")))) {
        assertTrue(!other.isClosed());
      }
      tabs.remove(0).close();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  Admin.ADMIN
                          .get("api/admin/users/" + owner + "/sessions")
                          .json()
                          .getJsonArray("sessions")
                          .size()
                      == 19);
      try (WsClient again = WsClient.signedIn(token)) {
        assertTrue(!again.isClosed());
      }
    } finally {
      tabs.forEach(WsClient::close);
    }
    assertEquals(before + 1, refused("user-sessions"));
  }

  @Test
  void oneAddressHoldsAtMostItsSocketsNotSignedInAndOneThatSignsInFreesItsPlace() throws Exception {
    double before = refused("unauthenticated");
    List<RawWebSocket> waiting = new ArrayList<>();
    try (JMXConnector connector = Jmx.connect()) {
      MBeanServerConnection jmx = connector.getMBeanServerConnection();
      int limitBefore = (Integer) jmx.getAttribute(SESSIONS, "MaxUnauthenticatedPerAddress");
      try {
        jmx.setAttribute(SESSIONS, new Attribute("MaxUnauthenticatedPerAddress", 5));
        // Only this test connects from this address.
        for (int i = 0; i < 5; i++) {
          waiting.add(RawWebSocket.connectFrom(HOARDER, true));
        }
        assertEquals(429, status(HOARDER, "ws"), "the address holds its most: refused");
        assertEquals(101, status(ELSEWHERE, "ws"), "another address is not held back");
        // One signs in: it no longer counts, and the address may open another.
        RawWebSocket first = waiting.get(0);
        first.sendText("{\"op\":\"auth\",\"token\":\"" + Tokens.valid(unique("hoarder")) + "\"}");
        String welcome = first.nextText(20);
        assertTrue(welcome != null && welcome.contains("\"welcome\""), "welcome: " + welcome);
        waiting.add(RawWebSocket.connectFrom(HOARDER, true));
        assertEquals(429, status(HOARDER, "ws"), "full again");
        // One that closes without signing in frees its place too.
        waiting.remove(waiting.size() - 1).close();
        await().atMost(Duration.ofSeconds(20)).until(() -> status(HOARDER, "ws") == 101);
      } finally {
        jmx.setAttribute(SESSIONS, new Attribute("MaxUnauthenticatedPerAddress", limitBefore));
        for (RawWebSocket w : waiting) {
          w.close();
        }
      }
    }
    assertTrue(refused("unauthenticated") >= before + 2, "each 429 counted");
  }

  @Test
  void aThousandHandshakesFromOneAddressAreHeldToItsRateWhileAnotherAddressConnects()
      throws Exception {
    double before = refused("address-rate");
    int perSecond = 20;
    int upgraded = 0;
    int tooMany = 0;
    try (JMXConnector connector = Jmx.connect()) {
      MBeanServerConnection jmx = connector.getMBeanServerConnection();
      int rateBefore = (Integer) jmx.getAttribute(SESSIONS, "MaxHandshakesPerAddressPerSecond");
      try {
        jmx.setAttribute(SESSIONS, new Attribute("MaxHandshakesPerAddressPerSecond", perSecond));
        long start = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
          int status = status(FLOODER, "ws");
          if (status == 101) {
            upgraded++;
          } else {
            assertEquals(429, status, "handshake " + i);
            tooMany++;
          }
          if (i % 100 == 0) {
            assertEquals(101, status(ELSEWHERE, "ws"), "another address still connects");
          }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        // A bucket of two seconds' worth, refilled at the rate: never more than that passes.
        assertTrue(
            upgraded <= 2 * perSecond + perSecond * seconds + 1,
            upgraded + " upgraded in " + seconds + " s");
        assertTrue(upgraded >= 2 * perSecond, "the burst passes: " + upgraded);
        assertTrue(tooMany > 0, "some refused");
      } finally {
        jmx.setAttribute(SESSIONS, new Attribute("MaxHandshakesPerAddressPerSecond", rateBefore));
      }
    }
    assertEquals(before + tooMany, refused("address-rate"));
  }
}
