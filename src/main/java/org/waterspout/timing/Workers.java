package org.waterspout.timing;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A few threads of the container's managed thread factory for WaterSpout's short background work
 * that comes at the rate of sessions: sign-in reads, history pages, acknowledgement writes, and
 * lanes (one per core) over which a notification to a large group is sent. Tasks handed to the
 * container's managed executors capture and restore the caller's context one by one; at thousands
 * of sign-ins a second that costs more than the work, and on Payara a task submitted from a
 * WebSocket thread failed its context reset ("No invocation on invocation stack"), killing the pool
 * thread. These threads get the application's context once, when made.
 */
@ApplicationScoped
public class Workers {

  private static final Logger LOG = Logger.getLogger(Workers.class.getName());

  @Resource(lookup = "java:comp/DefaultManagedThreadFactory")
  ManagedThreadFactory threads;

  private ScheduledThreadPoolExecutor pool;
  private ScheduledThreadPoolExecutor sessionTimers;
  private List<ExecutorService> lanes;

  @PostConstruct
  void start() {
    int cores = Runtime.getRuntime().availableProcessors();
    pool = new ScheduledThreadPoolExecutor(Math.max(2, cores), threads);
    pool.setRemoveOnCancelPolicy(true);
    sessionTimers = new ScheduledThreadPoolExecutor(1, threads);
    sessionTimers.setRemoveOnCancelPolicy(true);
    lanes = new ArrayList<>();
    for (int i = 0; i < cores; i++) {
      lanes.add(Executors.newSingleThreadExecutor(threads));
    }
  }

  /** Lanes for work spread over the cores: one thread each, tasks of a lane in order. */
  public int lanes() {
    return lanes.size();
  }

  /** Runs {@code task} on lane {@code lane}, after the tasks handed to it before. */
  public void inLane(int lane, Runnable task) {
    lanes.get(lane).execute(guarded(task));
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
    lanes.forEach(ExecutorService::shutdownNow);
    try {
      if (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
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
