package org.waterspout.history;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.waterspout.timing.Workers;

/**
 * Reads where the streams of users signing in stand, off the sockets' threads and in batches: one
 * reader takes every sign-in waiting (up to {@link #BATCH}) and reads them with two queries, so a
 * storm of reconnects costs a few queries per hundred sessions instead of a transaction each. A
 * sign-in writes nothing.
 */
@ApplicationScoped
public class SignIns {

  private static final Logger LOG = Logger.getLogger(SignIns.class.getName());

  /** Sign-ins read in one go, at most. */
  static final int BATCH = 500;

  /**
   * One sign-in to read.
   *
   * @param user who signs in
   * @param streams the streams it follows
   * @param done told where they stand (on the reader's thread)
   * @param failed told when the history could not be read
   */
  public record Request(
      String user,
      List<String> streams,
      Consumer<SignInCursors> done,
      Consumer<RuntimeException> failed) {

    public Request {
      streams = List.copyOf(streams);
    }
  }

  @Inject Reading reading;
  @Inject Acks acks;

  @Inject Workers workers;

  private final Queue<Request> waiting = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean running = new AtomicBoolean();

  /** Reads the request's cursors soon, on another thread. */
  public void read(Request request) {
    waiting.add(request);
    wake();
  }

  private void wake() {
    if (!waiting.isEmpty() && running.compareAndSet(false, true)) {
      try {
        workers.execute(this::drain);
      } catch (RejectedExecutionException e) {
        running.set(false);
        fail(new ArrayList<>(waiting), e);
      }
    }
  }

  private void drain() {
    try {
      for (List<Request> batch = take(); !batch.isEmpty(); batch = take()) {
        read(batch);
      }
    } finally {
      running.set(false);
      wake();
    }
  }

  private void read(List<Request> batch) {
    Map<String, List<String>> streams = new HashMap<>();
    batch.forEach(
        r -> streams.computeIfAbsent(r.user(), u -> new ArrayList<>()).addAll(r.streams()));
    SignInCursors cursors;
    try {
      cursors = reading.cursors(streams);
    } catch (RuntimeException e) {
      fail(batch, e);
      return;
    }
    SignInCursors withWaiting = withWaitingAcks(cursors, streams);
    for (Request request : batch) {
      try {
        request.done().accept(withWaiting);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "Signing in " + request.user() + " failed", e);
      }
    }
  }

  /** Acknowledgements not stored yet are newer than the database's. */
  private SignInCursors withWaitingAcks(SignInCursors read, Map<String, List<String>> streams) {
    Map<String, Map<String, Long>> acked = new HashMap<>(read.acked());
    streams.forEach(
        (user, followed) -> {
          for (String stream : followed) {
            acks.waiting(user, stream)
                .ifPresent(
                    seq ->
                        acked.compute(
                            user,
                            (u, known) -> {
                              Map<String, Long> merged =
                                  known == null ? new HashMap<>() : new HashMap<>(known);
                              merged.merge(stream, seq, Math::max);
                              return merged;
                            }));
          }
        });
    return new SignInCursors(read.latest(), acked);
  }

  private List<Request> take() {
    List<Request> batch = new ArrayList<>();
    for (Request next = waiting.poll();
        next != null;
        next = batch.size() < BATCH ? waiting.poll() : null) {
      batch.add(next);
    }
    return batch;
  }

  private static void fail(List<Request> batch, RuntimeException e) {
    LOG.log(Level.WARNING, "Reading the history for " + batch.size() + " sign-ins failed", e);
    for (Request request : batch) {
      request.failed().accept(e);
    }
  }
}
