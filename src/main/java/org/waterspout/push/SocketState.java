package org.waterspout.push;

import org.waterspout.delivery.SessionStream;
import org.waterspout.timing.Timeout;

/**
 * What one socket's threads share (the container's, the timer's, the sign-in reader's): its client
 * once authenticated, its pending deadline (the auth timeout, then the token's expiry), its resume
 * wait, the frames that came before its welcome, and whether it closed.
 */
final class SocketState {

  private volatile WebSocketClient client;
  private volatile CursorFrames cursors;
  private volatile Timeout deadline;
  private volatile Timeout resumeWait;
  private volatile boolean closed;

  // The frame-rate bucket: tokens left and when they were counted (guarded by this).
  private double frameTokens = -1;

  private long framesCountedAt;
  private boolean flooded;
  private boolean floodClosed;

  /** The handshake's ticket while the socket counts as not signed in (guarded by this). */
  private String ticket;

  /** Frames that came while the sign-in was read. */
  private final EarlyFrames early = new EarlyFrames();

  /** Keeps the ticket the socket counts under until it signs in or closes. */
  synchronized void ticket(String handshakeTicket) {
    ticket = handshakeTicket;
  }

  /** The ticket, once: null after the first call (or when there was none). */
  synchronized String takeTicket() {
    String taken = ticket;
    ticket = null;
    return taken;
  }

  /** Null until the token verified. */
  WebSocketClient client() {
    return client;
  }

  CursorFrames cursors() {
    return cursors;
  }

  EarlyFrames early() {
    return early;
  }

  /** Cursors first: a frame that sees the client finds its cursors. */
  void authenticated(WebSocketClient authenticated, CursorFrames frames) {
    cursors = frames;
    client = authenticated;
  }

  boolean closed() {
    return closed;
  }

  /** Marks the socket closed; true when it was not marked before. */
  boolean markClosed() {
    boolean open = !closed;
    closed = true;
    return open;
  }

  void deadline(Timeout pending) {
    deadline = pending;
  }

  void cancelDeadline() {
    Timeout pending = deadline;
    if (pending != null) {
      pending.cancel();
    }
  }

  void waitingForResume(Timeout wait) {
    resumeWait = wait;
  }

  /** Nothing more for {@code gone}: the resume wait is cancelled and its streams closed. */
  void stop(WebSocketClient gone) {
    Timeout wait = resumeWait;
    if (wait != null) {
      wait.cancel();
    }
    gone.streams().values().forEach(SessionStream::close);
    CursorFrames frames = cursors;
    if (frames != null) {
      frames.closed();
    }
  }

  /**
   * Takes one frame from the session's allowance of {@code perSecond} frames a second (bursts of
   * two seconds' worth); false once it is spent, and from then on.
   */
  synchronized boolean takeFrame(int perSecond, long nanoTime) {
    if (flooded) {
      return false;
    }
    double burst = 2.0 * perSecond;
    if (frameTokens < 0) {
      frameTokens = burst;
    } else {
      frameTokens = Math.min(burst, frameTokens + (nanoTime - framesCountedAt) * perSecond / 1e9);
    }
    framesCountedAt = nanoTime;
    if (frameTokens < 1) {
      flooded = true;
      return false;
    }
    frameTokens--;
    return true;
  }

  /** True once, for the first caller after {@link #takeFrame} refused: it closes the session. */
  synchronized boolean markFloodClosed() {
    if (!flooded || floodClosed) {
      return false;
    }
    floodClosed = true;
    return true;
  }
}
