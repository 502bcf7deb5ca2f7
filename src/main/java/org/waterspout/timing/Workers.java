package org.waterspout.timing;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A few threads of the container's managed thread factory for WaterSpout's short background work
 * that comes at the rate of sessions: sign-in reads, history pages, acknowledgement writes (on a
 * thread of their own), and lanes (one per core) over which a notification to a large group is
 * sent. Tasks handed to the container's managed executors capture and restore the caller's context
 * one by one; at thousands of sign-ins a second that costs more than the work, and on Payara a task
 * submitted from a WebSocket thread failed its context reset ("No invocation on invocation stack"),
 * killing the pool thread. These threads get the application's context once, when made.
 */
@ApplicationScoped
public class Workers {

  private static final Logger LOG = Logger.getLogger(Workers.class.getName());

  @Resource(lookup = "java:comp/DefaultManagedThreadFactory")
  ManagedThreadFactory threads;

  private ScheduledThreadPoolExecutor pool;
  private ScheduledThreadPoolExecutor sessionTimers;
  private ScheduledThreadPoolExecutor writer;
  private List<Lane> lanes;

  /** How long one task may hold a lane before the log says so, with the lane's stack. */
  static final long STUCK_NANOS = TimeUnit.SECONDS.toNanos(10);

  /**
   * One thread for work in order, and what it is doing: since when its current task runs (0: idle),
   * and on which thread.
   */
  private static final class Lane {
    final ExecutorService executor;
    final AtomicLong busySince = new AtomicLong();
    final AtomicReference<Thread> thread = new AtomicReference<>();
    volatile long reported;

    Lane(ExecutorService executor) {
      this.executor = executor;
    }
  }

  @PostConstruct
  void start() {
    int cores = Runtime.getRuntime().availableProcessors();
    pool = new ScheduledThreadPoolExecutor(Math.max(2, cores), threads);
    pool.setRemoveOnCancelPolicy(true);
    sessionTimers = new ScheduledThreadPoolExecutor(1, threads);
    sessionTimers.setRemoveOnCancelPolicy(true);
    writer = new ScheduledThreadPoolExecutor(1, threads);
    // At shutdown the write under way finishes (not interrupted); the ones waiting are dropped,
    // as their owner writes what is left itself.
    writer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    lanes = new ArrayList<>();
    for (int i = 0; i < cores; i++) {
      lanes.add(new Lane(Executors.newSingleThreadExecutor(threads)));
    }
    pool.scheduleWithFixedDelay(guarded(this::watchLanes), 5, 5, TimeUnit.SECONDS);
  }

  /** Lanes for work spread over the cores: one thread each, tasks of a lane in order. */
  public int lanes() {
    return lanes.size();
  }

  /** Runs {@code task} on lane {@code lane}, after the tasks handed to it before. */
  public void inLane(int lane, Runnable task) {
    Lane watch = lanes.get(lane);
    Runnable guarded = guarded(task);
    watch.executor.execute(
        () -> {
          watch.thread.set(Thread.currentThread());
          watch.busySince.set(System.nanoTime());
          try {
            guarded.run();
          } finally {
            watch.busySince.set(0);
          }
        });
  }

  /**
   * Says, once per task, when a lane has been on one task for {@link #STUCK_NANOS}: every send
   * after it in that lane waits (a group notification reaches the members before the stuck one, not
   * those after). The warning carries the lane's stack and any deadlock the JVM finds, so that what
   * holds it up can be named.
   */
  private void watchLanes() {
    long now = System.nanoTime();
    for (int i = 0; i < lanes.size(); i++) {
      Lane lane = lanes.get(i);
      long since = lane.busySince.get();
      Thread thread = lane.thread.get();
      if (since == 0 || now - since < STUCK_NANOS || lane.reported == since || thread == null) {
        continue;
      }
      lane.reported = since;
      StringBuilder report = new StringBuilder();
      for (StackTraceElement frame : thread.getStackTrace()) {
        report.append("\n\tat ").append(frame);
      }
      long[] deadlocked = ManagementFactory.getThreadMXBean().findDeadlockedThreads();
      if (deadlocked != null) {
        report.append("\nDeadlocked threads:");
        for (ThreadInfo info :
            ManagementFactory.getThreadMXBean().getThreadInfo(deadlocked, true, true)) {
          report.append("\n").append(info);
        }
      }
      LOG.warning(
          "Delivery lane "
              + i
              + " ("
              + thread.getName()
              + ") has been on one task for "
              + TimeUnit.NANOSECONDS.toSeconds(now - since)
              + " s; the sends queued behind it wait. Its stack:"
              + report);
    }
  }

  /** Runs {@code task} soon on one of the workers. */
  public void execute(Runnable task) {
    pool.execute(guarded(task));
  }

  /** Runs {@code task} once after {@code delay}. */
  public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
    return pool.schedule(guarded(task), delay, unit);
  }

  /**
   * Runs {@code task} once after {@code delay} on the one writer thread (acknowledgements): writes
   * that can take seconds under load never run two at a time, and never hold the threads that
   * sign-ins, history pages and closes wait for.
   */
  public ScheduledFuture<?> scheduleWrite(Runnable task, long delay, TimeUnit unit) {
    return writer.schedule(guarded(task), delay, unit);
  }

  /**
   * A scheduler for the container's own per-session timers (Tyrus' idle timeout, restarted on every
   * frame: {@code ContainerIdleTimer}): one thread, apart from WaterSpout's work, with cancelled
   * tasks removed at once.
   */
  public ScheduledExecutorService sessionTimers() {
    return Executors.unconfigurableScheduledExecutorService(sessionTimers);
  }

  /** Lets running tasks finish (a few seconds at most); what is queued is dropped. */
  @PreDestroy
  void stop() {
    pool.shutdownNow();
    sessionTimers.shutdownNow();
    writer.shutdown();
    lanes.forEach(lane -> lane.executor.shutdownNow());
    try {
      if (!pool.awaitTermination(5, TimeUnit.SECONDS)
          || !writer.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.warning("WaterSpout's workers were still busy after 5 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Runnable guarded(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "A background task failed", e);
      }
    };
  }
}
