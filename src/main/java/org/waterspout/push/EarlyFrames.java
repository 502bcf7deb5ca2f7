package org.waterspout.push;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The frames a client sends after its {@code auth} frame and before its welcome, while its sign-in
 * is read: kept, at most {@link #MAX}, and handled in order once the welcome is out.
 */
final class EarlyFrames {

  /** Frames a client may send before its sign-in is read: a resume, an ack or two. */
  static final int MAX = 16;

  /** Frames that came while the sign-in was read (guarded by this); null once signed in. */
  private List<String> early = new ArrayList<>();

  /**
   * True when the frame was kept for after the sign-in (or the client sent too many: then {@code
   * tooMany} runs, and the frame is dropped).
   */
  synchronized boolean keep(String text, Runnable tooMany) {
    if (early == null) {
      return false;
    }
    if (early.size() == MAX) {
      tooMany.run();
    } else {
      early.add(text);
    }
    return true;
  }

  /**
   * Handles the kept frames in order, and lets every later frame through: one that comes meanwhile
   * waits in {@link #keep} until these are handled, so it never overtakes them.
   */
  synchronized void release(Consumer<String> handler) {
    for (String text : early) {
      handler.accept(text);
    }
    early = null;
  }
}
