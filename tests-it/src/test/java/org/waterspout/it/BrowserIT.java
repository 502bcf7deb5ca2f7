package org.waterspout.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.waterspout.it.support.Browser;
import org.waterspout.it.support.OrderSystem;
import org.waterspout.it.support.Server;
import org.waterspout.it.support.Tokens;

/**
 * The start page and waterspout.js in a real headless Chromium, on a server outside demo mode: the
 * page says so, and the browser client still receives notifications with a token from the business
 * application (here, minted by the test).
 */
@ExtendWith(ArquillianExtension.class)
class BrowserIT {

  @Deployment(testable = false)
  static WebArchive war() {
    return Server.builtWar();
  }

  @Test
  void theBrowserClientShowsANotificationSentThroughJms() throws Exception {
    String pro = DeliveryIT.unique("pro");
    try (Browser browser = new Browser();
        OrderSystem orderSystem = new OrderSystem()) {
      browser.driver().get(Server.HTTP.toString());
      browser.until("document.getElementById('nodemo').hidden === false");

      browser.script(
          "window.received = []; window.states = [];"
              + "window.client = WaterSpout.connect({"
              + "  token: async () => arguments[0],"
              + "  onNotification: (n) => window.received.push(n),"
              + "  onStatus: (s) => window.states.push(s) });",
          Tokens.valid(pro));
      browser.until("window.states.includes('open')");

      String id = DeliveryIT.unique("browser");
      orderSystem.sendText(OrderSystem.notificationFor(id, pro), OrderSystem.newCase());

      browser.until("window.received.length === 1");
      assertEquals(id, browser.script("return window.received[0].id"));
      assertEquals("New work order", browser.script("return window.received[0].title"));
    }
  }

  @Test
  void theBrowserClientIsRefusedWithAForgedTokenAndSaysSo() throws Exception {
    try (Browser browser = new Browser()) {
      browser.driver().get(Server.HTTP.toString());
      browser.script(
          "window.states = [];"
              + "window.client = WaterSpout.connect({"
              + "  token: async () => arguments[0],"
              + "  onStatus: (s, d) => window.states.push(s + ' ' + d) });",
          Tokens.forged("pro-42"));

      browser.until("window.states.some((s) => s.startsWith('refused 1008'))");
      browser.script("window.client.close()");
    }
  }
}
