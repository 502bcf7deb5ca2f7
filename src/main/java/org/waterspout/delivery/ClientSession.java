package org.waterspout.delivery;

import java.time.Instant;
import java.util.Set;

/** One authenticated client connection as delivery sees it, whatever carries it. */
public interface ClientSession {

  /** Unique among this instance's open sessions. */
  String id();

  /** The verified user id. */
  String user();

  /** The verified groups. */
  Set<String> groups();

  /** When the session authenticated. */
  Instant openedAt();

  /** Frames waiting to be sent. */
  int queued();

  /**
   * Queues a frame for sending; never blocks, never throws for a broken connection. False when the
   * session did not take it (too slow, or broken): the frame is dropped.
   */
  boolean deliver(Outgoing frame);

  /** Closes the connection on an admin's request; the client may reconnect. */
  void disconnect(String reason);
}
