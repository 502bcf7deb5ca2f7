package org.waterspout.history;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.waterspout.config.Settings;

/**
 * At start-up, migrates the history schema ({@link HistoryMigrations}; again every few seconds
 * while the database cannot be reached), then runs the sequencer's sweep, retention and the unseen
 * receipts in the background for as long as the application runs.
 */
@ApplicationScoped
public class HistoryTasks {

  private static final Logger LOG = Logger.getLogger(HistoryTasks.class.getName());

  /** How often the sequencer is woken for notifications that no intake woke it for. */
  private static final long SEQUENCER_SWEEP_MILLIS = 1000;

  /** How often due {@code unseen} receipts are looked for. */
  private static final long RECEIPT_CHECK_MILLIS = 1000;

  @Inject Settings settings;
  @Inject Retention retention;
  @Inject Receipts receipts;
  @Inject Sequencer sequencer;

  @Inject HistoryMigrations migrations;

  @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
  ManagedScheduledExecutorService scheduler;

  private final List<Future<?>> running = new ArrayList<>();

  /** Held (shared) by each task while it runs; {@link #stop} takes it whole to wait for them. */
  private final ReadWriteLock gate = new ReentrantReadWriteLock();

  private volatile boolean stopping;

  private static final long STOP_WAIT_SECONDS = 10;

  void start(@Observes @Initialized(ApplicationScoped.class) Object started) {
    if (!settings.history().enabled() || !settings.problems().isEmpty()) {
      return;
    }
    if (settings.history().createSchema()) {
      if (!migrate(true) && !settled) {
        // The database may be away at start-up: try again until it is back.
        running.add(
            scheduler.scheduleWithFixedDelay(
                () -> quietly("schema migration", () -> migrate(false)),
                MIGRATE_RETRY_MILLIS,
                MIGRATE_RETRY_MILLIS,
                TimeUnit.MILLISECONDS));
      }
    } else {
      checkSchema();
    }
    // Notifications stored but not numbered when the last run stopped, then any a failure left.
    running.add(
        scheduler.scheduleWithFixedDelay(
            () -> quietly("sequencing", sequencer::sweep),
            0,
            SEQUENCER_SWEEP_MILLIS,
            TimeUnit.MILLISECONDS));
    long purgeMillis = settings.history().purgeInterval().toMillis();
    running.add(
        scheduler.scheduleWithFixedDelay(
            () -> quietly("retention", retention::purge),
            purgeMillis,
            purgeMillis,
            TimeUnit.MILLISECONDS));
    running.add(
        scheduler.scheduleWithFixedDelay(
            () -> {
              quietly("unseen receipts", () -> receipts.decideUnseen(100));
              quietly("receipts", () -> receipts.sendOwed(100));
            },
            RECEIPT_CHECK_MILLIS,
            RECEIPT_CHECK_MILLIS,
            TimeUnit.MILLISECONDS));
  }

  /**
   * Cancels the tasks and waits (a few seconds at most) for one that is running to finish: a task
   * cut off by an undeployment left its database transaction open until the transaction timeout,
   * and on PostgreSQL the next deployment's start waited behind its locks.
   */
  @PreDestroy
  void stop() {
    stopping = true;
    running.forEach(task -> task.cancel(false));
    try {
      if (gate.writeLock().tryLock(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
        gate.writeLock().unlock();
      } else {
        LOG.warning("A history task was still running after " + STOP_WAIT_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static final long MIGRATE_RETRY_MILLIS = 5_000;

  /** Migrated, or failed for a reason that trying again does not change: no more tries. */
  private volatile boolean settled;

  /** Migrates the schema unless done; false (said once, the first time) when it failed. */
  private boolean migrate(boolean first) {
    if (settled) {
      return true;
    }
    try {
      LOG.info(migrations.migrate());
      settled = true;
    } catch (RuntimeException e) {
      if (!Intake.unreachable(e)) {
        // Not the database away: a failed migration, a changed checksum. Tried again, it fails
        // again: said loudly, once, for an admin to fix (README, Schema migrations).
        settled = true;
        LOG.log(
            Level.SEVERE,
            "The history schema could not be migrated, and will not be tried again until the next"
                + " start: "
                + e.getMessage(),
            e);
        return false;
      }
      if (first) {
        LOG.log(
            Level.WARNING,
            "Could not migrate the history schema (tried again every "
                + MIGRATE_RETRY_MILLIS / 1000
                + " s until it works): "
                + e.getMessage(),
            e);
      } else {
        LOG.fine(() -> "History schema migration failed again: " + e.getMessage());
      }
    }
    return settled;
  }

  /** With the schema managed by a DBA: says so when it lacks what this version needs. */
  private void checkSchema() {
    try {
      List<String> pending = migrations.pending();
      if (!pending.isEmpty()) {
        LOG.severe(
            "The history schema is at version "
                + migrations.current()
                + " and lacks the migrations "
                + pending
                + " that this version of WaterSpout needs: apply them (README, History store),"
                + " or set waterspout.history.create-schema=true");
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Could not read the history schema's version: " + e.getMessage(), e);
    }
  }

  private void quietly(String what, Runnable task) {
    if (stopping || !gate.readLock().tryLock()) {
      return;
    }
    try {
      if (!stopping) {
        task.run();
      }
    } catch (RuntimeException e) {
      // A periodic task that throws is never run again: log, and try at the next tick.
      LOG.log(Level.WARNING, "History " + what + " failed: " + e.getMessage(), e);
    } finally {
      gate.readLock().unlock();
    }
  }
}
