package org.waterspout.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.waterspout.it.support.Browser;
import org.waterspout.it.support.Server;
import org.waterspout.it.support.Tokens;
import org.waterspout.it.support.WsClient;

/** The admin page in headless Chromium, signed in as the server's admin user. */
@ExtendWith(ArquillianExtension.class)
class AdminPageIT {

  @Deployment(testable = false)
  static WebArchive war() {
    return Server.builtWar();
  }

  @Test
  void anAdminSeesTheFiguresAndReachesAUser() throws Exception {
    String user = "pro-" + UUID.randomUUID();
    try (WsClient tab = WsClient.signedIn(Tokens.valid(user, "field"));
        Browser admin = new Browser()) {
      admin.signInWithBasic(
          System.getProperty("it.admin.user"), System.getProperty("it.admin.password"));
      admin.driver().get(Server.HTTP.resolve("admin/").toString());

      admin.until("Number(document.getElementById('openSessions').textContent) >= 1");
      admin.until(
          "document.getElementById('admin').textContent === '"
              + System.getProperty("it.admin.user")
              + "'");
      // The cluster view: this instance (alone here), its sessions sampled and drawn over time.
      admin.until(
          "[...document.querySelectorAll('#instances tbody tr')].some(r =>"
              + " r.cells[0].textContent.endsWith('(this one)') && r.cells[1].textContent === 'live'"
              + " && Number(r.cells[2].textContent) >= 1)");
      admin.until("document.querySelectorAll('#chart-sessions polyline').length === 1");

      type(admin, "user", user);
      admin.driver().findElement(By.id("list")).click();
      admin.until("document.querySelectorAll('#sessions tbody tr').length === 1");
      assertEquals(
          "field",
          admin.script(
              "return document.querySelector('#sessions tbody td:nth-child(2)').textContent"));

      admin.driver().findElement(By.id("test")).click();
      assertEquals("waterspout.test", tab.nextNotification().getString("type"));
      admin.until("document.getElementById('user-result').textContent.includes('1 session')");

      type(admin, "title", "Back in five");
      admin.driver().findElement(By.cssSelector("#announce-form button")).click();
      assertEquals("Back in five", tab.nextNotification().getString("title"));

      admin.driver().findElement(By.id("disconnect")).click();
      assertEquals(1000, tab.awaitClose(Duration.ofSeconds(10)).code());
      admin.until(
          "document.getElementById('user-result').textContent === 'Disconnected 1 session(s)'");
    }
  }

  private static void type(Browser browser, String id, String text) {
    var field = browser.driver().findElement(By.id(id));
    field.clear();
    field.sendKeys(text);
  }
}
