package org.waterspout.it.support;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** Debian's headless Chromium, driven through its own ChromeDriver. */
public final class Browser implements AutoCloseable {

  private final ChromeDriver driver;

  public Browser() throws Exception {
    Path profile = Files.createTempDirectory("waterspout-chromium");
    ChromeOptions options =
        new ChromeOptions()
            .setBinary(executable("chromium"))
            .addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--user-data-dir=" + profile);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(Path.of(executable("chromedriver")).toFile())
            .usingAnyFreePort()
            .build();
    driver = new ChromeDriver(service, options);
  }

  public ChromeDriver driver() {
    return driver;
  }

  /**
   * Sends HTTP BASIC credentials with every request from now on, as the browser would after its
   * login prompt (which a headless browser cannot show).
   */
  public void signInWithBasic(String user, String password) {
    String credentials =
        Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    driver.executeCdpCommand("Network.enable", Map.of());
    driver.executeCdpCommand(
        "Network.setExtraHTTPHeaders",
        Map.of("headers", Map.of("Authorization", "Basic " + credentials)));
  }

  public Object script(String javascript, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(javascript, args);
  }

  /** Waits until the script returns true. */
  public void until(String javascript) {
    until(javascript, WsClient.WAIT);
  }

  /** Waits up to {@code wait} until the script returns true. */
  public void until(String javascript, Duration wait) {
    new WebDriverWait(driver, wait)
        .pollingEvery(Duration.ofMillis(50))
        .until(d -> Boolean.TRUE.equals(script("return " + javascript)));
  }

  private static String executable(String name) {
    for (String dir : new String[] {"/usr/bin", "/usr/local/bin"}) {
      Path path = Path.of(dir, name);
      if (Files.isExecutable(path)) {
        return path.toString();
      }
    }
    throw new IllegalStateException(
        name + " not found: install chromium and chromium-driver (tests-it/install-chromium.sh)");
  }

  @Override
  public void close() {
    driver.quit();
  }
}
