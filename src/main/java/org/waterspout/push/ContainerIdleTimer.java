package org.waterspout.push;

import java.lang.reflect.Field;
import java.util.concurrent.ScheduledExecutorService;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Moves Tyrus' per-session idle timer (Payara) off the container's managed scheduled executor onto
 * a plain scheduler of WaterSpout's. Tyrus restarts a session's idle timer on every frame sent or
 * received, with a task on the managed scheduled executor, and Payara captures the caller's context
 * for each such task with a {@code ServiceLoader} lookup over the thread's context class loader
 * ({@code ContextSetupProviderImpl.saveContext}), which reads every jar of the server: at 19,000
 * sessions their pongs and acknowledgements cost a core (benchmark profile). The timer's task only
 * closes an idle session and needs no context. Found at run time, by the field Tyrus keeps its
 * scheduler in; where there is none (Undertow on WildFly), or it cannot be set, nothing changes and
 * the container's own timer runs as before.
 */
final class ContainerIdleTimer {

  private static final Logger LOG = Logger.getLogger(ContainerIdleTimer.class.getName());

  private static final String TYRUS_SESSION = "org.glassfish.tyrus.core.TyrusSession";

  /** Tyrus' scheduler field, looked up at the first session; null where there is none. */
  private static volatile Lookup lookup;

  private record Lookup(Class<?> type, Field field) {}

  private ContainerIdleTimer() {}

  /** Points {@code session}'s idle timer at {@code timers}; false where the container has none. */
  static boolean redirect(Object session, ScheduledExecutorService timers) {
    Lookup found = lookup;
    if (found == null || found.type() != session.getClass()) {
      found = new Lookup(session.getClass(), field(session.getClass()));
      lookup = found;
    }
    if (found.field() == null) {
      return false;
    }
    try {
      found.field().set(session, timers);
      return true;
    } catch (IllegalAccessException | IllegalArgumentException e) {
      return false;
    }
  }

  private static Field field(Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      if (!c.getName().equals(TYRUS_SESSION)) {
        continue;
      }
      try {
        Field field = c.getDeclaredField("service");
        if (field.getType() != ScheduledExecutorService.class) {
          return null;
        }
        field.setAccessible(true);
        LOG.fine("Tyrus' idle timers run on WaterSpout's scheduler");
        return field;
      } catch (NoSuchFieldException | RuntimeException e) {
        LOG.log(Level.INFO, "Tyrus' idle timer stays on the container's scheduler", e);
        return null;
      }
    }
    return null;
  }
}
