package org.waterspout.push;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.waterspout.delivery.SessionStream;
import org.waterspout.history.Ack;
import org.waterspout.history.Acks;
import org.waterspout.history.Cursor;
import org.waterspout.history.Streams;
import org.waterspout.push.ClientFrame.BadFrameException;

/**
 * A session's {@code resume} and {@code ack} frames, for each stream it follows. A session begins
 * its streams when the client resumes, when it sends any other frame first, or when the resume wait
 * runs out: then each stream starts after the user's acknowledged notifications in it. Acks are
 * handed to {@link Acks}, which stores them coalesced, off the socket's thread.
 */
final class CursorFrames {

  private final PushClient client;
  private final Optional<Acks> acks;
  private final String own;

  /** Where each stream stood at sign-in; set once the sign-in was read. */
  private volatile Map<String, Cursor> atSignIn = Map.of();

  /** The highest number this session acknowledged, per stream (socket's thread). */
  private final Map<String, Long> acked = new HashMap<>();

  /** {@code acks} empty: the history is off, and resume and ack are refused. */
  CursorFrames(PushClient client, Optional<Acks> acks) {
    this.client = client;
    this.acks = acks;
    this.own = Streams.ofUser(client.user());
  }

  /** Where the streams stood when the user signed in: the defaults of {@link #beginDefault}. */
  void signedIn(Map<String, Cursor> cursors) {
    atSignIn = Map.copyOf(cursors);
    cursors.forEach((stream, cursor) -> acked.put(stream, cursor.acked()));
  }

  /** Begins every stream not begun yet after the user's acknowledged notifications. */
  void beginDefault() {
    client
        .streams()
        .forEach(
            (name, stream) -> stream.beginUnlessStarted(ackedAtSignIn(name), latestAtSignIn(name)));
  }

  /** Handles {@code resume} and {@code ack}; false for any other frame. */
  boolean handle(ClientFrame frame) throws BadFrameException {
    boolean resume = ClientFrame.RESUME.equals(frame.op());
    if (!resume) {
      beginDefault();
    }
    if (!resume && !ClientFrame.ACK.equals(frame.op())) {
      return false;
    }
    if (acks.isEmpty()) {
      client.deliver(
          ServerFrames.error(
              "history-disabled",
              "this server keeps no history: " + frame.op() + " is unavailable"));
      return true;
    }
    Map<String, Long> numbers = new HashMap<>(frame.streamNumbers("streams"));
    if (frame.has(resume ? "after" : "seq")) {
      numbers.put(own, frame.sequenceNumber(resume ? "after" : "seq"));
    } else if (numbers.isEmpty()) {
      throw new BadFrameException(
          frame.op() + " frame needs '" + (resume ? "after" : "seq") + "' or 'streams'");
    }
    for (String name : numbers.keySet()) {
      if (!client.streams().containsKey(name)) {
        throw new BadFrameException(
            frame.op() + " names a stream this session does not follow: " + name);
      }
    }
    if (resume) {
      client
          .streams()
          .forEach(
              (name, stream) ->
                  stream.begin(
                      numbers.getOrDefault(name, ackedAtSignIn(name)), latestAtSignIn(name)));
    } else {
      numbers.forEach((name, seq) -> ack(name, client.streams().get(name), seq));
    }
    return true;
  }

  private void ack(String name, SessionStream stream, long seq) {
    long known = stream.known();
    if (seq > known) {
      client.deliver(
          ServerFrames.error(
              "ack-ahead",
              "acknowledged up to "
                  + known
                  + ", the latest"
                  + (name.equals(own) ? "" : " of " + name)
                  + "; "
                  + seq
                  + " is not given out yet"));
      seq = known;
    }
    long before = acked.getOrDefault(name, 0L);
    if (seq <= before) {
      // Nothing this session has not acknowledged already: no write for it.
      return;
    }
    acked.put(name, seq);
    acks.orElseThrow().add(new Ack(client.user(), client.groups(), name, before, seq, false));
  }

  /** The session closed: its acks of group streams, if any wait, are stored soon. */
  void closed() {
    acks.ifPresent(
        a ->
            a.closed(
                client.user(),
                client.streams().keySet().stream().filter(Streams::isGroup).toList()));
  }

  private long ackedAtSignIn(String stream) {
    Cursor cursor = atSignIn.get(stream);
    return cursor == null ? 0 : cursor.acked();
  }

  private long latestAtSignIn(String stream) {
    Cursor cursor = atSignIn.get(stream);
    return cursor == null ? 0 : cursor.latest();
  }
}
