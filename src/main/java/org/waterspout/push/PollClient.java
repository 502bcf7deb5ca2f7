package org.waterspout.push;

import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.waterspout.delivery.Outgoing;
import org.waterspout.history.Cursor;
import org.waterspout.security.Identity;
import org.waterspout.timing.Timeout;

/**
 * One long poll ({@code GET /api/notifications}) as a client for as long as it waits: it follows
 * the user's streams from the request's cursor like any session, gathers the frames it is given,
 * and answers with them once every stream has handed on what it had at the sign-in (or a full
 * answer's worth is there), or with 204 when its wait runs out with nothing. The answer's {@code
 * WaterSpout-Cursor} header is the cursor after its frames, for the next poll.
 */
final class PollClient extends HttpPushClient {

  /** Header of the cursor after an answer's frames. */
  static final String CURSOR_HEADER = "WaterSpout-Cursor";

  /** Frames in one answer before it is sent (more may come in the same page). */
  static final int MAX_FRAMES = 100;

  private static final Duration RECHECK = Duration.ofMillis(100);
  private static final Duration SHORT_POLL_LIMIT = Duration.ofSeconds(5);

  private final AsyncResponse answer;
  private final boolean waits;

  // Guarded by this.
  private final List<String> frames = new ArrayList<>();

  private volatile Map<String, Cursor> signedIn;
  private volatile boolean unavailable;
  private volatile String tooMany;
  private volatile Timeout deadline;

  PollClient(
      Identity identity,
      HttpServices services,
      AsyncResponse answer,
      Optional<Following> following,
      boolean waits) {
    super(identity, services, following);
    this.answer = answer;
    this.waits = waits;
  }

  @Override
  protected void send(Outgoing frame, Consumer<Throwable> done) {
    if (!frame.isPing() && !op(frame.text()).equals("welcome")) {
      // The cursor and the body move together: an answer never names a frame it lacks.
      synchronized (this) {
        if (!isEnded()) {
          passed(frame);
          frames.add(frame.text());
        }
      }
    }
    done.accept(null);
    check();
  }

  /** The sign-in was read and the streams begun: from now on the poll may be answered. */
  void begun(Map<String, Cursor> defaults, Duration wait) {
    if (isEnded()) {
      return;
    }
    signedIn = defaults;
    // A short poll (no wait) answers once the streams are read: within this, whatever happens.
    deadline = services().timers().after(waits ? wait : SHORT_POLL_LIMIT, this::end);
    check();
    recheckUntilCaughtUp();
  }

  /**
   * Numbers a stream passes over send nothing: until all are handed on, look again now and then.
   */
  private void recheckUntilCaughtUp() {
    services()
        .timers()
        .after(
            RECHECK,
            () -> {
              if (!isEnded() && !caughtUp(signedIn)) {
                check();
                recheckUntilCaughtUp();
              } else {
                check();
              }
            });
  }

  private void check() {
    Map<String, Cursor> defaults = signedIn;
    if (defaults == null || isEnded()) {
      return;
    }
    int gathered;
    synchronized (this) {
      gathered = frames.size();
    }
    // In this order: a stream whose last() says a frame was handed on has put it in the outbox
    // by then (both under the stream's lock), where it waits while this thread sends another.
    boolean caughtUp = caughtUp(defaults) && queued() == 0;
    if (gathered >= MAX_FRAMES || (gathered > 0 && caughtUp) || (caughtUp && !waits)) {
      end();
    }
  }

  /** The history could not be read: 503, and the client polls again later. */
  void historyUnavailable() {
    unavailable = true;
    end();
  }

  /** Refused: its user holds as many sessions as one may (answered 429). */
  void tooManySessions(String why) {
    tooMany = why;
    end();
  }

  @Override
  public void goAway() {
    end();
  }

  @Override
  public void disconnect(String reason) {
    end();
  }

  @Override
  protected void ended() {
    Timeout pending = deadline;
    if (pending != null) {
      pending.cancel();
    }
    Response answered;
    if (tooMany != null) {
      answered =
          Response.fromResponse(
                  HttpAnswers.error(
                      Response.Status.TOO_MANY_REQUESTS, "too-many-sessions", tooMany))
              .header("Retry-After", "5")
              .build();
    } else if (unavailable || signedIn == null) {
      // Ended before its streams were read (history away, the instance stopping, an admin's
      // disconnect): no cursor to give, so the client polls again with the one it has.
      answered =
          Response.fromResponse(
                  HttpAnswers.error(
                      Response.Status.SERVICE_UNAVAILABLE,
                      unavailable ? "history-unavailable" : "ended",
                      unavailable
                          ? "history unavailable: try again later"
                          : "poll ended before it began: poll again with the same cursor"))
              .header("Retry-After", "1")
              .build();
    } else {
      synchronized (this) {
        Response.ResponseBuilder response =
            frames.isEmpty()
                ? Response.noContent()
                : Response.ok(
                    "[" + String.join(",", frames) + "]",
                    MediaType.APPLICATION_JSON_TYPE.withCharset("UTF-8"));
        answered =
            response.header(CURSOR_HEADER, cursor()).header("Cache-Control", "no-store").build();
      }
    }
    // Written on a worker: this may be the timer's thread, or one delivering to other sessions.
    try {
      services().workers().execute(() -> answer.resume(answered));
    } catch (RejectedExecutionException e) {
      answer.resume(answered);
    }
  }
}
