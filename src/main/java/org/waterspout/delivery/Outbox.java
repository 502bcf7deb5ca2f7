package org.waterspout.delivery;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A session's bounded queue of frames with at most one asynchronous send in flight, so that frames
 * go out in order, a producer never blocks on a slow client, and a client that falls {@code
 * capacity} frames behind is reported once as too slow instead of growing the heap.
 */
public final class Outbox {

  /** Sends one frame asynchronously and reports completion (null) or the failure. */
  @FunctionalInterface
  public interface Sink {
    void send(Outgoing frame, Consumer<Throwable> whenDone);
  }

  /** Told once when the outbox gives up: the client is too slow, or a send failed. */
  @FunctionalInterface
  public interface Failure {
    void failed(String reason, Throwable cause);
  }

  /** Told of every frame's fate: written to the socket, or dropped with the session. */
  public interface Monitor {
    void sent(Outgoing frame);

    void dropped(Outgoing frame);

    /** A monitor that ignores everything. */
    Monitor NONE =
        new Monitor() {
          @Override
          public void sent(Outgoing frame) {}

          @Override
          public void dropped(Outgoing frame) {}
        };
  }

  private final int capacity;
  private final Sink sink;
  private final Failure failure;
  private final Monitor monitor;
  private final Queue<Outgoing> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicBoolean sending = new AtomicBoolean();
  private final AtomicBoolean failed = new AtomicBoolean();
  private volatile boolean held;

  /** {@link System#nanoTime()} when the send in flight was handed to the sink; 0 between sends. */
  private volatile long sendingSince;

  public Outbox(int capacity, Sink sink, Failure failure, Monitor monitor) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive: " + capacity);
    }
    this.capacity = capacity;
    this.sink = sink;
    this.failure = failure;
    this.monitor = monitor;
  }

  /** Queues a frame; returns false, and drops it, if the outbox has failed or just overflowed. */
  public boolean offer(Outgoing frame) {
    if (failed.get()) {
      monitor.dropped(frame);
      return false;
    }
    if (queued.incrementAndGet() > capacity) {
      queued.decrementAndGet();
      monitor.dropped(frame);
      fail("too slow: more than " + capacity + " frames waiting", null);
      return false;
    }
    queue.add(frame);
    if (failed.get()) {
      // Failed while this frame was being queued: it must not wait forever uncounted.
      dropQueued();
      return false;
    }
    drain();
    return true;
  }

  /** Queues frames without sending them until {@link #release()}. */
  public void hold() {
    held = true;
  }

  /** Sends what was queued while held, in order, and whatever comes after. */
  public void release() {
    held = false;
    drain();
  }

  /** Frames waiting, not counting the one in flight. */
  public int size() {
    return queued.get();
  }

  /** Nothing waiting and nothing being sent. */
  public boolean idle() {
    return queued.get() == 0 && !sending.get();
  }

  public boolean hasFailed() {
    return failed.get();
  }

  /**
   * Gives up on the session, as on an overflow, when the send in flight was handed to the sink
   * {@code limitNanos} or more before {@code nowNanos} and has not completed: the client stopped
   * reading. Containers do not all enforce the send timeout on an asynchronous send (Tyrus on
   * Payara Server waited for ever), and a session that reads its streams back from the history as
   * its outbox empties never overflows the outbox: without this, a stalled client would hold its
   * socket until it read again. Returns whether it gave up.
   */
  public boolean giveUpIfStuck(long nowNanos, long limitNanos) {
    long since = sendingSince;
    if (since == 0 || nowNanos - since < limitNanos || failed.get()) {
      return false;
    }
    fail("too slow: a frame unsent for " + limitNanos / 1_000_000L + " ms", null);
    return true;
  }

  private void drain() {
    // Whoever wins the flag sends the next frame; the completion of that send drains on. A sink
    // that completes inline is handled in this loop, so the stack does not grow per frame.
    while (!held && !failed.get() && !queue.isEmpty() && sending.compareAndSet(false, true)) {
      Outgoing next = queue.poll();
      if (next == null) {
        notSending();
        continue;
      }
      queued.decrementAndGet();
      sendingSince = System.nanoTime();
      Completion completion = new Completion(next);
      try {
        sink.send(next, completion::done);
      } catch (VirtualMachineError e) {
        throw e;
      } catch (RuntimeException | Error e) {
        // Whatever the container throws for this frame, this session must not stay stuck.
        completion.done(e);
      }
      if (!completion.returned()) {
        return;
      }
      if (completion.error != null) {
        fail("send failed: " + completion.error, completion.error);
        return;
      }
      notSending();
    }
  }

  private void notSending() {
    sendingSince = 0;
    sending.set(false);
  }

  /** Tells an inline completion (handled by the drain loop) from a later one (drains anew). */
  private final class Completion {
    private final Outgoing frame;
    private final AtomicInteger state = new AtomicInteger();
    private volatile Throwable error;

    Completion(Outgoing frame) {
      this.frame = frame;
    }

    void done(Throwable failure) {
      error = failure;
      if (failure == null) {
        monitor.sent(frame);
      } else {
        monitor.dropped(frame);
      }
      if (!state.compareAndSet(0, 1)) {
        sent(failure);
      }
    }

    /** True when the send already completed on this thread. */
    boolean returned() {
      return !state.compareAndSet(0, 2);
    }
  }

  private void sent(Throwable error) {
    if (error != null) {
      fail("send failed: " + error, error);
      return;
    }
    notSending();
    drain();
  }

  private void fail(String reason, Throwable cause) {
    if (failed.compareAndSet(false, true)) {
      dropQueued();
      failure.failed(reason, cause);
    }
  }

  private void dropQueued() {
    for (Outgoing dropped = queue.poll(); dropped != null; dropped = queue.poll()) {
      queued.decrementAndGet();
      monitor.dropped(dropped);
    }
  }
}
