package org.waterspout.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.waterspout.it.support.Admin;
import org.waterspout.it.support.Browser;
import org.waterspout.it.support.OrderSystem;
import org.waterspout.it.support.Server;

/** The demo pages in Debian's headless Chromium: the pro inbox and the transport comparison. */
@ExtendWith(ArquillianExtension.class)
class DemoPagesIT {

  @Deployment(testable = false)
  static WebArchive war() {
    return Server.builtWar();
  }

  @Test
  void theInboxShowsAToastAndMissesNothingAcrossAReloadOrADroppedConnection() throws Exception {
    String pro = DeliveryIT.unique("pro");
    try (Browser browser = new Browser();
        OrderSystem orderSystem = new OrderSystem()) {
      browser.driver().get(Server.HTTP.resolve("inbox.html").toString());
      type(browser, "user", pro);
      browser.driver().findElement(By.cssSelector("#signin button[type=submit]")).click();
      browser.until("document.body.dataset.status === 'open'");

      String first = DeliveryIT.unique("first");
      orderSystem.sendText(OrderSystem.notificationFor(first, pro), OrderSystem.newCase());
      browser.until("document.querySelectorAll('.toast').length === 1");
      browser.until("document.querySelectorAll('#inbox li.unread').length === 1");
      assertEquals("1", browser.driver().findElement(By.id("unread")).getText());

      // Reloaded (signed in again from what the page kept), and one sent while it reloads.
      browser.driver().navigate().refresh();
      String during = DeliveryIT.unique("during");
      orderSystem.sendText(OrderSystem.notificationFor(during, pro), OrderSystem.newCase());
      browser.until("document.body.dataset.status === 'open'");
      browser.until("document.querySelectorAll('#inbox li').length >= 2");
      // The server drops the connection (an admin disconnects the user); one sent meanwhile.
      Admin.Reply dropped = Admin.ADMIN.delete("api/admin/users/" + pro + "/sessions");
      assertTrue(dropped.json().getInt("disconnected") >= 1, dropped::body);
      String dropping = DeliveryIT.unique("dropped");
      orderSystem.sendText(OrderSystem.notificationFor(dropping, pro), OrderSystem.newCase());
      browser.until("document.querySelectorAll('#inbox li').length >= 3");
      String marker = DeliveryIT.unique("marker");
      orderSystem.sendText(OrderSystem.notificationFor(marker, pro), OrderSystem.newCase());
      browser.until(
          "[...document.querySelectorAll('#inbox li')].some((li) => li.dataset.id === '"
              + marker
              + "')");
      assertEquals(
          java.util.List.of(marker, dropping, during, first),
          browser.script(
              "return [...document.querySelectorAll('#inbox li')].map((li) => li.dataset.id)"),
          "newest first, each once");
      assertEquals("4", browser.driver().findElement(By.id("unread")).getText());
      browser.driver().findElement(By.cssSelector("#inbox li")).click();
      assertEquals("3", browser.driver().findElement(By.id("unread")).getText());
    }
  }

  @Test
  void theComparePageShowsWebSocketWithFewerBytesThanPollingAndLessDelayThanShortPolling()
      throws Exception {
    try (Browser browser = new Browser()) {
      browser.driver().get(Server.HTTP.resolve("compare.html").toString());
      browser.script("document.getElementById('every').value = '2';");
      browser.until(
          "window.compare.rows.short.requests >= 5"
              + " && Object.values(window.compare.rows).every((row) => row.received >= 4)",
          Duration.ofSeconds(90));
      @SuppressWarnings("unchecked")
      Map<String, Map<String, Object>> rows =
          (Map<String, Map<String, Object>>)
              browser.script(
                  "const r = window.compare.rows; const out = {};"
                      + " Object.keys(r).forEach((k) => out[k] = {bytes: r[k].bytes,"
                      + " requests: r[k].requests, median: r[k].median, received: r[k].received});"
                      + " return out;");
      long wsBytes = ((Number) rows.get("websocket").get("bytes")).longValue();
      long shortBytes = ((Number) rows.get("short").get("bytes")).longValue();
      long wsDelay = ((Number) rows.get("websocket").get("median")).longValue();
      long shortDelay = ((Number) rows.get("short").get("median")).longValue();
      long longBytes = ((Number) rows.get("polling").get("bytes")).longValue();
      assertTrue(wsBytes < shortBytes && wsBytes < longBytes, "bytes: " + rows);
      assertTrue(wsDelay < shortDelay, "delay: " + rows);
      assertEquals(
          1L, ((Number) rows.get("websocket").get("requests")).longValue(), rows::toString);
      WebElement table = browser.driver().findElement(By.id("figures"));
      assertEquals(4, table.findElements(By.cssSelector("tbody tr")).size());
    }
  }

  @Test
  void theDispatchersMessagesReachTheInboxAndTheirReceiptsComeBack() throws Exception {
    String pro = DeliveryIT.unique("pro");
    try (Browser browser = new Browser()) {
      browser.driver().get(Server.HTTP.resolve("inbox.html").toString());
      String inbox = browser.driver().getWindowHandle();
      type(browser, "user", pro);
      type(browser, "groups", "support");
      browser.driver().findElement(By.cssSelector("#signin button[type=submit]")).click();
      browser.until("document.body.dataset.status === 'open'");

      browser.driver().switchTo().newWindow(WindowType.TAB);
      String dispatcher = browser.driver().getWindowHandle();
      browser.driver().get(Server.HTTP.resolve("dispatch.html").toString());
      String order = String.valueOf(System.nanoTime() % 1_000_000);
      type(browser, "routeOrder", order);
      type(browser, "routePro", pro);
      browser.driver().findElement(By.cssSelector("#route button[type=submit]")).click();
      type(browser, "cancelOrder", order);
      browser.driver().findElement(By.cssSelector("#cancel button[type=submit]")).click();

      browser.driver().switchTo().window(inbox);
      browser.until("document.querySelectorAll('#inbox li').length === 2");
      assertEquals(
          java.util.List.of("Work order " + order + " cancelled", "New work order " + order),
          browser.script(
              "return [...document.querySelectorAll('#inbox li strong')].map((s) => s.textContent)"));

      browser.driver().switchTo().window(dispatcher);
      browser.until(
          "[...document.querySelectorAll('#sent tbody tr')]"
              + ".filter((r) => r.dataset.receipt === 'delivered').length === 2",
          Duration.ofSeconds(60));
    }
  }

  private static void type(Browser tab, String id, String text) {
    WebElement field = tab.driver().findElement(By.id(id));
    field.clear();
    field.sendKeys(text);
  }
}
