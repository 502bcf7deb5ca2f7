package org.waterspout.push;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.waterspout.delivery.Outgoing;
import org.waterspout.security.Identity;
import org.waterspout.timing.Timeout;

/**
 * An SSE response ({@code GET /sse}) as a client: each frame an event named by its {@code op}, a
 * numbered one with its cursor as {@code id:}, a comment for the heartbeat. Written with the
 * servlet container's non-blocking output: a frame is handed on once the container can take it, and
 * a client that takes nothing for the send timeout is ended, as a WebSocket would be.
 */
final class SseClient extends HttpPushClient implements WriteListener, AsyncListener {

  private static final Logger LOG = Logger.getLogger(SseClient.class.getName());
  private static final byte[] HEARTBEAT = ": ping\n\n".getBytes(StandardCharsets.US_ASCII);

  private final AsyncContext async;
  private final ServletOutputStream out;
  private final Duration sendTimeout;

  // Guarded by this: the frame being written and the completion waiting for the container.
  private byte[] unwritten;
  private boolean unflushed;
  private Consumer<Throwable> waiting;
  private Timeout stuck;

  private volatile Timeout heartbeat;
  private volatile boolean finishing;
  private volatile Timeout expiry;

  SseClient(
      Identity identity,
      HttpServices services,
      AsyncContext async,
      ServletOutputStream out,
      Optional<Following> following) {
    super(identity, services, following);
    this.async = async;
    this.out = out;
    this.sendTimeout = services.settings().sendTimeout();
  }

  @Override
  protected void send(Outgoing frame, Consumer<Throwable> done) {
    byte[] event;
    if (frame.isPing()) {
      event = HEARTBEAT;
    } else {
      passed(frame);
      event = event(frame).getBytes(StandardCharsets.UTF_8);
    }
    synchronized (this) {
      unwritten = event;
      waiting = done;
      stuck = services().timers().after(sendTimeout, () -> failWaiting(new TimeoutException()));
    }
    writeWhatWaits();
  }

  private String event(Outgoing frame) {
    StringBuilder event = new StringBuilder(frame.text().length() + 64);
    String op = op(frame.text());
    event.append("event: ").append(op).append('\n');
    // The welcome's id is where the streams begin: a reconnect before the first event resumes
    // there.
    if (frame.isNumbered() || (op.equals("welcome") && !streams().isEmpty())) {
      event.append("id: ").append(cursor()).append('\n');
    }
    // Our JSON has no line breaks (JSON-P escapes them in strings): one data line.
    return event.append("data: ").append(frame.text()).append("\n\n").toString();
  }

  /** Writes and flushes what waits while the container takes it; completes the send after. */
  private void writeWhatWaits() {
    Consumer<Throwable> done = null;
    Throwable failed = null;
    synchronized (this) {
      try {
        while (waiting != null && out.isReady()) {
          if (unwritten != null) {
            byte[] bytes = unwritten;
            unwritten = null;
            unflushed = true;
            out.write(bytes);
          } else if (unflushed) {
            unflushed = false;
            out.flush();
          } else {
            done = waiting;
            waiting = null;
            stuck.cancel();
          }
        }
      } catch (IOException | IllegalStateException e) {
        failed = e;
        done = waiting;
        waiting = null;
        if (stuck != null) {
          stuck.cancel();
        }
      }
    }
    if (done != null) {
      done.accept(failed);
    }
  }

  private void failWaiting(Throwable cause) {
    Consumer<Throwable> done;
    synchronized (this) {
      done = waiting;
      waiting = null;
      if (stuck != null) {
        stuck.cancel();
      }
    }
    if (done != null) {
      done.accept(cause);
    }
  }

  /** Whether it is ending: {@link #finish} sent its last frame, or it ended. */
  boolean finishing() {
    return finishing || isEnded();
  }

  /** Keeps the stream alive: a comment whenever nothing else went out for the ping interval. */
  void beat(Duration every) {
    long jitter = every.toMillis() / 10;
    Duration next =
        every.minusMillis(jitter > 0 ? ThreadLocalRandom.current().nextLong(jitter + 1) : 0);
    heartbeat =
        services()
            .timers()
            .after(
                next,
                () -> {
                  if (isEnded()) {
                    return;
                  }
                  if (idle()) {
                    ping();
                  }
                  beat(every);
                });
    if (isEnded()) {
      cancel(heartbeat);
    }
  }

  /** Ends the stream when the token expires (with the clock skew tolerated). */
  void expireAt(Duration after) {
    expiry =
        services()
            .timers()
            .after(
                after,
                () ->
                    finish(
                        ServerFrames.error(
                            "token-expired", "token expired: connect again with a fresh token")));
    if (isEnded()) {
      cancel(expiry);
    }
  }

  /** Sends {@code frame} (an error), then ends the stream once it is written or soon after. */
  void finish(String frame) {
    finishing = true;
    if (started()) {
      deliver(frame);
    } else {
      // Never welcomed (the history away, the instance stopping): this frame is the only one.
      start(frame);
    }
    services().timers().after(Duration.ofMillis(500), this::end);
  }

  @Override
  public void goAway() {
    finish(ServerFrames.error("going-away", GoingAway.REASON));
  }

  @Override
  protected void ended() {
    cancel(heartbeat);
    cancel(expiry);
    failWaiting(new IOException("stream ended"));
    try {
      async.complete();
    } catch (IllegalStateException e) {
      // Completed already (the client went away, the container ended it).
      LOG.log(Level.FINEST, "SSE stream " + id() + " already complete", e);
    }
  }

  private static void cancel(Timeout timeout) {
    if (timeout != null) {
      timeout.cancel();
    }
  }

  @Override
  public void onWritePossible() {
    writeWhatWaits();
  }

  @Override
  public void onError(Throwable t) {
    LOG.log(Level.FINE, "SSE stream " + id() + " failed", t);
    failWaiting(t);
    end();
  }

  @Override
  public void onComplete(AsyncEvent event) {
    end();
  }

  @Override
  public void onTimeout(AsyncEvent event) {
    end();
  }

  @Override
  public void onError(AsyncEvent event) {
    end();
  }

  @Override
  public void onStartAsync(AsyncEvent event) {
    // Started once, by the servlet.
  }

  @Override
  public void disconnect(String reason) {
    finish(ServerFrames.error("disconnected", reason));
  }
}
