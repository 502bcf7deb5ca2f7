package org.waterspout.timing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * A hashed timer wheel: timeouts in buckets of one tick each, {@code size} buckets round. Adding
 * and cancelling cost a few pointer writes whatever the number of timeouts, and a cancelled timeout
 * leaves the wheel at once (nothing waits in a queue until its time, as it would in a scheduled
 * executor). A timeout more than one round away stays in its bucket until its round comes. {@link
 * #advance()} runs what is due, from one thread at a time; timeouts may be added and cancelled from
 * any thread.
 */
public final class TimerWheel implements Timer {

  private final long tickNanos;
  private final Node[] buckets;
  private final LongSupplier nanoTime;
  private final long origin;
  private long processed;

  public TimerWheel(Duration tick, int size, LongSupplier nanoTime) {
    this.tickNanos = tick.toNanos();
    this.buckets = new Node[size];
    this.nanoTime = nanoTime;
    this.origin = nanoTime.getAsLong();
    this.processed = 0;
  }

  /** Runs {@code task} once, {@code delay} from now (at the first tick at or after it). */
  @Override
  public Timeout after(Duration delay, Runnable task) {
    long due = nanoTime.getAsLong() - origin + Math.max(0, delay.toNanos());
    Node node = new Node(this, task);
    synchronized (this) {
      // Never in a tick already walked: it would wait a whole round.
      node.tick = Math.max(ceilDiv(due, tickNanos), processed + 1);
      link(node);
    }
    return node;
  }

  /** Runs every task due by now, on the caller's thread; returns how many ran. */
  public int advance() {
    List<Runnable> due = new ArrayList<>();
    long now = (nanoTime.getAsLong() - origin) / tickNanos;
    synchronized (this) {
      // After a stall longer than a round, one walk of every bucket finds all that is due.
      long first = Math.max(processed + 1, now - buckets.length + 1);
      for (long tick = first; tick <= now; tick++) {
        Node node = buckets[index(tick)];
        while (node != null) {
          Node next = node.next;
          if (node.tick <= now) {
            unlink(node);
            due.add(node.task);
          }
          node = next;
        }
      }
      processed = Math.max(processed, now);
    }
    for (Runnable task : due) {
      task.run();
    }
    return due.size();
  }

  /** Timeouts waiting. */
  public synchronized int size() {
    int count = 0;
    for (Node head : buckets) {
      for (Node n = head; n != null; n = n.next) {
        count++;
      }
    }
    return count;
  }

  private synchronized boolean cancel(Node node) {
    if (!node.linked) {
      return false;
    }
    unlink(node);
    return true;
  }

  private void link(Node node) {
    int index = index(node.tick);
    node.next = buckets[index];
    if (node.next != null) {
      node.next.previous = node;
    }
    buckets[index] = node;
    node.linked = true;
  }

  private void unlink(Node node) {
    if (node.previous == null) {
      buckets[index(node.tick)] = node.next;
    } else {
      node.previous.next = node.next;
    }
    if (node.next != null) {
      node.next.previous = node.previous;
    }
    node.previous = null;
    node.next = null;
    node.linked = false;
  }

  private int index(long tick) {
    return (int) Math.floorMod(tick, (long) buckets.length);
  }

  private static long ceilDiv(long x, long y) {
    return -Math.floorDiv(-x, y);
  }

  /** A timeout in the wheel: a node of its bucket's list, guarded by the wheel's lock. */
  private static final class Node implements Timeout {
    private final TimerWheel wheel;
    private final Runnable task;
    private long tick;
    private Node previous;
    private Node next;
    private boolean linked;

    Node(TimerWheel wheel, Runnable task) {
      this.wheel = wheel;
      this.task = task;
    }

    @Override
    public boolean cancel() {
      return wheel.cancel(this);
    }
  }
}
