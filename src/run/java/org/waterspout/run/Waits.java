package org.waterspout.run;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Supplier;

/** Waiting for a process to listen, with a clear error when it dies or takes too long. */
public final class Waits {

  private Waits() {}

  /** Fails when something else already listens on {@code port}. */
  public static void requireFree(int port, String what) throws StartFailed {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("localhost", port), 500);
    } catch (IOException e) {
      return;
    }
    throw new StartFailed(
        "Port "
            + port
            + " for "
            + what
            + " is already in use. Is another WaterSpout (mvn -Prun..., or the tests) still"
            + " running? Find it with: ss -ltnp 'sport = :"
            + port
            + "'");
  }

  public static void forPort(Child child, int port, Duration timeout)
      throws StartFailed, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      requireAlive(child);
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("localhost", port), 500);
        return;
      } catch (IOException e) {
        Thread.sleep(200);
      }
    }
    throw new StartFailed(
        child.name() + " did not open port " + port + " in " + timeout + child.tail());
  }

  /** Waits for a line containing {@code text} in the log of {@code child}. */
  public static void forLog(Child child, String text, Duration timeout)
      throws StartFailed, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      requireAlive(child);
      try {
        if (java.nio.file.Files.readString(child.log()).contains(text)) {
          return;
        }
      } catch (IOException e) {
        // Not written yet.
      }
      Thread.sleep(250);
    }
    throw new StartFailed(
        child.name() + " did not log \"" + text + "\" in " + timeout + child.tail());
  }

  /**
   * Waits for {@code url} to answer 200. {@code failure} reports a failure seen in the log (a
   * deployment error), which ends the wait at once.
   */
  public static void forHttp(Child child, String url, Duration timeout, Supplier<String> failure)
      throws StartFailed, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      requireAlive(child);
      String failed = failure.get();
      if (failed != null) {
        throw new StartFailed(
            "WaterSpout could not be deployed: " + failed + "\n(whole log: " + child.log() + ")");
      }
      try {
        if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // Not listening yet.
      }
      Thread.sleep(250);
    }
    throw new StartFailed(child.name() + " did not serve " + url + " in " + timeout + child.tail());
  }

  static void requireAlive(Child child) throws StartFailed {
    if (!child.isAlive()) {
      throw new StartFailed(child.name() + " exited during start-up" + child.tail());
    }
  }
}
