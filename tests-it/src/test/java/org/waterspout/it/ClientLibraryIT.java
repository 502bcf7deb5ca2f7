package org.waterspout.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.WindowType;
import org.waterspout.it.support.Browser;
import org.waterspout.it.support.OrderSystem;
import org.waterspout.it.support.Server;
import org.waterspout.it.support.Tokens;

/**
 * waterspout.js in Debian's headless Chromium: its fallback from WebSocket to SSE and to long
 * polling and back, and one connection shared by the tabs of one browser.
 */
@ExtendWith(ArquillianExtension.class)
class ClientLibraryIT {

  /** Connects a client in the current tab; {@code arguments[1]} are extra options (JSON). */
  private static final String CONNECT =
      "window.received = []; window.states = [];"
          + "window.client = WaterSpout.connect(Object.assign({"
          + "  token: async () => arguments[0],"
          + "  onNotification: (n) => window.received.push(n.id),"
          + "  onStatus: (s, d) => window.states.push(s) }, JSON.parse(arguments[1])));";

  @Deployment(testable = false)
  static WebArchive war() {
    return Server.builtWar();
  }

  @Test
  void withoutWebSocketItFallsBackToSseAndGoesBackWhenItCan() throws Exception {
    String pro = DeliveryIT.unique("pro");
    try (Browser browser = new Browser();
        OrderSystem orderSystem = new OrderSystem()) {
      browser.driver().get(Server.HTTP.toString());
      browser.script("window.realWebSocket = window.WebSocket; window.WebSocket = undefined;");
      browser.script(CONNECT, Tokens.valid(pro), "{\"shareTabs\":false,\"retryWebSocketMs\":4000}");
      browser.until("window.client.transport === 'sse' && window.states.includes('open')");

      String onSse = DeliveryIT.unique("sse");
      orderSystem.sendText(OrderSystem.notificationFor(onSse, pro), OrderSystem.newCase());
      browser.until("window.received.length === 1");

      // WebSocket is back: the client finds it, and resumes there after what SSE handed on.
      browser.script("window.WebSocket = window.realWebSocket;");
      browser.until("window.client.transport === 'websocket'");
      String onWebSocket = DeliveryIT.unique("ws");
      orderSystem.sendText(OrderSystem.notificationFor(onWebSocket, pro), OrderSystem.newCase());
      browser.until("window.received.length >= 2");
      String marker = DeliveryIT.unique("marker");
      orderSystem.sendText(OrderSystem.notificationFor(marker, pro), OrderSystem.newCase());
      browser.until("window.received.includes(" + quote(marker) + ")");
      assertEquals(List.of(onSse, onWebSocket, marker), received(browser), "each once, in order");
      browser.script("window.client.close()");
    }
  }

  @Test
  void whenNeitherWebSocketNorSseOpenItPolls() throws Exception {
    String pro = DeliveryIT.unique("pro");
    try (Browser browser = new Browser();
        OrderSystem orderSystem = new OrderSystem()) {
      browser.driver().get(Server.HTTP.toString());
      // A proxy that refuses upgrades and buffers streams: no WebSocket, and /sse never answers.
      browser.script(
          "window.WebSocket = undefined; const realFetch = window.fetch;"
              + "window.fetch = (url, init) => String(url).includes('/sse')"
              + "  ? Promise.reject(new TypeError('buffered away')) : realFetch(url, init);");
      browser.script(CONNECT, Tokens.valid(pro), "{\"shareTabs\":false}");
      browser.until("window.client.transport === 'polling' && window.states.includes('open')");

      String first = DeliveryIT.unique("poll");
      orderSystem.sendText(OrderSystem.notificationFor(first, pro), OrderSystem.newCase());
      browser.until("window.received.length === 1");
      String second = DeliveryIT.unique("poll");
      orderSystem.sendText(OrderSystem.notificationFor(second, pro), OrderSystem.newCase());
      browser.until("window.received.length >= 2");
      String marker = DeliveryIT.unique("marker");
      orderSystem.sendText(OrderSystem.notificationFor(marker, pro), OrderSystem.newCase());
      browser.until("window.received.includes(" + quote(marker) + ")");
      assertEquals(List.of(first, second, marker), received(browser));
      browser.script("window.client.close()");
    }
  }

  @Test
  void twoTabsShareOneConnectionAndTheSecondTakesOverWhenTheFirstCloses() throws Exception {
    String pro = DeliveryIT.unique("pro");
    String token = Tokens.valid(pro);
    String options = "{\"shareKey\":\"" + pro + "\"}";
    try (Browser browser = new Browser();
        OrderSystem orderSystem = new OrderSystem()) {
      browser.driver().get(Server.HTTP.toString());
      String first = browser.driver().getWindowHandle();
      browser.script(CONNECT, token, options);
      browser.until("window.client.leader && window.client.transport === 'websocket'");
      browser.until("window.states.includes('open')");

      browser.driver().switchTo().newWindow(WindowType.TAB);
      String second = browser.driver().getWindowHandle();
      browser.driver().get(Server.HTTP.toString());
      browser.script(CONNECT, token, options);
      browser.until("window.states.includes('open')");
      assertEquals(false, browser.script("return window.client.leader"), "one leader");
      assertEquals(null, browser.script("return window.client.transport"), "one connection");

      String before = DeliveryIT.unique("before");
      orderSystem.sendText(OrderSystem.notificationFor(before, pro), OrderSystem.newCase());
      browser.until("window.received.length === 1");
      browser.driver().switchTo().window(first);
      browser.until("window.received.length === 1");

      // The leader's tab closes; what is sent meanwhile reaches the one left, once.
      browser.driver().close();
      browser.driver().switchTo().window(second);
      String during = DeliveryIT.unique("during");
      orderSystem.sendText(OrderSystem.notificationFor(during, pro), OrderSystem.newCase());
      browser.until("window.client.leader && window.client.transport === 'websocket'");
      browser.until("window.received.length >= 2");
      String after = DeliveryIT.unique("after");
      orderSystem.sendText(OrderSystem.notificationFor(after, pro), OrderSystem.newCase());
      browser.until("window.received.includes(" + quote(after) + ")");
      assertEquals(List.of(before, during, after), received(browser), "none lost, none twice");
      browser.script("window.client.close()");
    }
  }

  @SuppressWarnings("unchecked")
  private static List<String> received(Browser browser) {
    return (List<String>) browser.script("return window.received");
  }

  private static String quote(String text) {
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
