package org.glassfish.tyrus.core;

import java.util.concurrent.ScheduledExecutorService;

/**
 * Stands in for Tyrus' session class in ContainerIdleTimerTest: the same name and the same private
 * field, which is all that WaterSpout's adapter looks for.
 */
public class TyrusSession {

  private ScheduledExecutorService service;

  public TyrusSession(ScheduledExecutorService service) {
    this.service = service;
  }

  public ScheduledExecutorService service() {
    return service;
  }
}
