package org.waterspout.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.JMSConsumer;
import jakarta.jms.Message;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.waterspout.it.support.Browser;
import org.waterspout.it.support.OrderSystem;
import org.waterspout.it.support.Server;
import org.waterspout.it.support.Tokens;
import org.waterspout.it.support.WsClient;

/** The demo page and waterspout.js in Debian's headless Chromium, as a newcomer uses them. */
@ExtendWith(ArquillianExtension.class)
class BrowserIT {

  @Deployment(testable = false)
  static WebArchive war() {
    return Server.builtWar();
  }

  @Test
  void aNotificationSentFromOneTabPopsUpInTheOther() throws Exception {
    String pro = DeliveryIT.unique("pro");
    try (Browser proTab = new Browser();
        Browser dispatcherTab = new Browser()) {
      signIn(proTab, pro, "");
      signIn(dispatcherTab, DeliveryIT.unique("dispatcher"), "");

      type(dispatcherTab, "toUsers", pro);
      type(dispatcherTab, "title", "Leak at 12 Elm St");
      dispatcherTab.driver().findElement(By.cssSelector("#send button[type=submit]")).click();
      dispatcherTab.until("document.getElementById('result').textContent.startsWith('sent as')");

      proTab.until("document.querySelectorAll('.toast').length === 1");
      assertEquals(
          "Leak at 12 Elm St",
          proTab.driver().findElement(By.cssSelector(".toast strong")).getText());
      assertEquals(1, proTab.driver().findElements(By.cssSelector("#received li")).size());
      assertEquals(0, dispatcherTab.driver().findElements(By.cssSelector(".toast")).size());
    }
  }

  @Test
  void theInvalidMessageButtonSendsOneThatLandsInTheRejectedQueue() throws Exception {
    try (Browser tab = new Browser()) {
      tab.driver().get(Server.HTTP.toString());
      tab.until("document.getElementById('demo').hidden === false");

      tab.driver().findElement(By.id("sendBad")).click();

      tab.until("document.getElementById('result').textContent.includes('waterspout.rejected')");
      // What the page says happened did: that very message is in the rejected queue, with why.
      String text = tab.driver().findElement(By.id("result")).getText();
      String id = text.replaceAll("^sent invalid message (\\S+):.*$", "$1");
      assertTrue(id.startsWith("ID:"), text);
      try (OrderSystem orderSystem = new OrderSystem();
          JMSConsumer rejected =
              orderSystem
                  .context()
                  .createConsumer(
                      orderSystem.context().createQueue(OrderSystem.REJECTED),
                      "WaterSpoutOriginalMessageID = '" + id + "'")) {
        Message copy = rejected.receive(WsClient.WAIT.toMillis());
        assertNotNull(copy, "no rejected copy of " + id);
        assertTrue(
            copy.getStringProperty("WaterSpoutRejectReason").contains("not valid JSON"),
            copy.getStringProperty("WaterSpoutRejectReason"));
      }
    }
  }

  @Test
  void theBrowserClientReceivesWithATokenFromTheBusinessApplication() throws Exception {
    String pro = DeliveryIT.unique("pro");
    try (Browser browser = new Browser();
        OrderSystem orderSystem = new OrderSystem()) {
      browser.driver().get(Server.HTTP.toString());
      browser.script(
          "window.received = []; window.states = [];"
              + "window.client = WaterSpout.connect({"
              + "  url: arguments[1],"
              + "  token: async () => arguments[0],"
              + "  onNotification: (n) => window.received.push(n),"
              + "  onStatus: (s) => window.states.push(s) });",
          Tokens.valid(pro),
          Server.WEBSOCKET.toString());
      browser.until("window.states.includes('open')");

      String id = DeliveryIT.unique("browser");
      orderSystem.sendText(OrderSystem.notificationFor(id, pro), OrderSystem.newCase());

      browser.until("window.received.length === 1");
      assertEquals(id, browser.script("return window.received[0].id"));
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

  private static void signIn(Browser tab, String user, String groups) {
    tab.driver().get(Server.HTTP.toString());
    tab.until("document.getElementById('demo').hidden === false");
    type(tab, "user", user);
    type(tab, "groups", groups);
    tab.driver().findElement(By.cssSelector("#signin button[type=submit]")).click();
    tab.until("document.body.dataset.status === 'open'");
    assertTrue(tab.driver().findElement(By.id("status")).getText().contains(user));
  }

  private static void type(Browser tab, String id, String text) {
    WebElement field = tab.driver().findElement(By.id(id));
    field.clear();
    field.sendKeys(text);
  }
}
