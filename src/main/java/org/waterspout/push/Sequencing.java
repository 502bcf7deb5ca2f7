package org.waterspout.push;

import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.waterspout.delivery.SessionStream;
import org.waterspout.history.Cursor;
import org.waterspout.history.History;
import org.waterspout.push.ClientFrame.BadFrameException;

/**
 * A session's {@code resume} and {@code ack} frames. A session begins its stream when the client
 * resumes, when it sends any other frame first, or when the resume wait runs out: then it gets the
 * user's unacknowledged notifications first.
 */
final class Sequencing {

  private static final Logger LOG = Logger.getLogger(Sequencing.class.getName());

  private final WebSocketClient client;
  private final Optional<History> history;
  private volatile ScheduledFuture<?> resumeWait;

  /** The highest number this session acknowledged and the history stored (the socket's thread). */
  private long acked;

  /** {@code history} empty: the history is off, and resume and ack are refused. */
  Sequencing(WebSocketClient client, Optional<History> history) {
    this.client = client;
    this.history = history;
  }

  /** After {@code wait} without a frame, begins with the unacknowledged notifications. */
  void beginLater(ManagedScheduledExecutorService scheduler, Duration wait) {
    client.stream()
        .ifPresent(
            stream ->
                resumeWait =
                    scheduler.schedule(
                        stream::beginUnlessStarted, wait.toMillis(), TimeUnit.MILLISECONDS));
  }

  /** Handles {@code resume} and {@code ack}; false for any other frame. */
  boolean handle(ClientFrame frame) throws BadFrameException {
    Optional<SessionStream> stream = client.stream();
    boolean resume = ClientFrame.RESUME.equals(frame.op());
    if (stream.isPresent() && !resume) {
      cancelWait();
      stream.get().beginUnlessStarted();
    }
    if (!resume && !ClientFrame.ACK.equals(frame.op())) {
      return false;
    }
    if (stream.isEmpty() || history.isEmpty()) {
      client.deliver(
          ServerFrames.error(
              "history-disabled",
              "this server keeps no history: " + frame.op() + " is unavailable"));
      return true;
    }
    if (resume) {
      long after = frame.sequenceNumber("after");
      cancelWait();
      stream.get().begin(OptionalLong.of(after));
    } else {
      ack(frame.sequenceNumber("seq"));
    }
    return true;
  }

  void close() {
    cancelWait();
    client.stream().ifPresent(SessionStream::close);
  }

  private void ack(long seq) {
    if (seq <= acked) {
      // Nothing this session has not acknowledged already: no transaction for it.
      return;
    }
    Cursor cursor;
    try {
      // On the socket's thread, so an ack followed by a close is stored before the close is seen.
      cursor = history.orElseThrow().ack(client.user(), seq);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Storing the ack of " + client.user() + " failed", e);
      client.deliver(
          ServerFrames.error("unavailable", "the ack could not be stored; send it again"));
      return;
    }
    acked = Math.min(seq, cursor.latest());
    if (seq > cursor.latest()) {
      client.deliver(
          ServerFrames.error(
              "ack-ahead",
              "acknowledged up to "
                  + cursor.latest()
                  + ", the latest; "
                  + seq
                  + " is not given out yet"));
    }
  }

  private void cancelWait() {
    ScheduledFuture<?> pending = resumeWait;
    if (pending != null) {
      pending.cancel(false);
    }
  }
}
