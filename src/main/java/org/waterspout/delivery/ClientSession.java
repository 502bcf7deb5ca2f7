package org.waterspout.delivery;

import java.util.Set;

/** One authenticated client connection as delivery sees it, whatever carries it. */
public interface ClientSession {

  /** Unique among this instance's open sessions. */
  String id();

  /** The verified user id. */
  String user();

  /** The verified groups. */
  Set<String> groups();

  /** Queues a frame for sending; never blocks, never throws for a broken connection. */
  void deliver(String frame);
}
