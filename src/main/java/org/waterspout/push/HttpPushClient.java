package org.waterspout.push;

import jakarta.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.waterspout.delivery.Outbox;
import org.waterspout.delivery.Outgoing;
import org.waterspout.delivery.SessionStream;
import org.waterspout.history.Cursor;
import org.waterspout.history.Streams;
import org.waterspout.notification.InvalidNotificationException;
import org.waterspout.notification.NotificationCodec;
import org.waterspout.security.Identity;

/**
 * A client over plain HTTP (an SSE stream, a long poll): where it stands in each stream is its
 * {@link HttpCursor}, moved on by every numbered frame it is given, so the cursor it is told after
 * a frame resumes right after that frame. Ends once, whoever ends it first (the client gone, the
 * token expired, the instance stopping, the poll answered).
 */
abstract class HttpPushClient extends PushClient implements GoingAway.Leaving {

  private static final Logger LOG = Logger.getLogger(HttpPushClient.class.getName());

  private final String id = UUID.randomUUID().toString();
  private final String own;
  private final HttpServices services;

  /** By stream, the last number given to this client (guarded by itself). */
  private final Map<String, Long> at = new LinkedHashMap<>();

  private final AtomicBoolean ended = new AtomicBoolean();

  HttpPushClient(Identity identity, HttpServices services, Optional<Following> following) {
    this(identity, services, following, new Relay());
  }

  private HttpPushClient(
      Identity identity, HttpServices services, Optional<Following> following, Relay relay) {
    super(identity, services.settings().outboxCapacity(), relay, services.stats(), following);
    relay.client = this;
    this.services = services;
    this.own = Streams.ofUser(identity.user());
  }

  /** The outbox's failure, told to the client once it exists (the outbox is made before it). */
  private static final class Relay implements Outbox.Failure {
    private volatile HttpPushClient client;

    @Override
    public void failed(String reason, Throwable cause) {
      HttpPushClient broken = client;
      if (broken != null) {
        LOG.log(Level.FINE, "Ending HTTP client " + broken.id() + ": " + reason, cause);
        broken.end();
      }
    }
  }

  /**
   * Where each stream begins: where {@code requested} says, or else where {@code defaults} (the
   * sign-in's) does; a stream the client named that it does not follow (a group no longer in its
   * token) is left out.
   */
  final Map<String, Long> beginAt(Map<String, Cursor> defaults, Map<String, Long> requested) {
    synchronized (at) {
      for (Map.Entry<String, Cursor> stream : defaults.entrySet()) {
        at.put(stream.getKey(), requested.getOrDefault(stream.getKey(), stream.getValue().acked()));
      }
      return Map.copyOf(at);
    }
  }

  /** Begins every stream where {@link #beginAt} put it; after the welcome is queued. */
  final void beginStreams(Map<String, Long> begin, Map<String, Cursor> defaults) {
    streams().forEach((name, stream) -> stream.begin(begin.get(name), defaults.get(name).latest()));
  }

  /** Moves the cursor on past {@code frame}: a numbered notification, or a gap. */
  final void passed(Outgoing frame) {
    if (frame.isNumbered()) {
      synchronized (at) {
        at.merge(frame.stream(), frame.seq(), Math::max);
      }
    } else if (frame.text().startsWith("{\"op\":\"error\",\"code\":\"cursor-ahead\"")) {
      // The history was reset below the client's cursor: the stream goes on from its latest.
      try {
        JsonObject ahead = NotificationCodec.parseObject(frame.text());
        synchronized (at) {
          at.put(ahead.getString("stream", own), ahead.getJsonNumber("latest").longValue());
        }
      } catch (InvalidNotificationException e) {
        throw new IllegalStateException(
            "an error frame of our own is not JSON: " + frame.text(), e);
      }
    } else if (frame.text().startsWith("{\"op\":\"gap\"")) {
      try {
        JsonObject gap = NotificationCodec.parseObject(frame.text());
        String stream = gap.getString("stream", own);
        synchronized (at) {
          at.merge(stream, gap.getJsonNumber("to").longValue(), Math::max);
        }
      } catch (InvalidNotificationException e) {
        throw new IllegalStateException("a gap frame of our own is not JSON: " + frame.text(), e);
      }
    }
  }

  /** The cursor after everything given so far. */
  final String cursor() {
    synchronized (at) {
      return HttpCursor.format(at, own);
    }
  }

  /** A frame's {@code op}: the SSE event's name. */
  static String op(String frame) {
    String start = "{\"op\":\"";
    int end = frame.startsWith(start) ? frame.indexOf('"', start.length()) : -1;
    return end < 0 ? "message" : frame.substring(start.length(), end);
  }

  /** Whether every stream has handed on all it had when the client signed in. */
  final boolean caughtUp(Map<String, Cursor> defaults) {
    for (Map.Entry<String, SessionStream> stream : streams().entrySet()) {
      Cursor signIn = defaults.get(stream.getKey());
      long given;
      synchronized (at) {
        given = at.getOrDefault(stream.getKey(), 0L);
      }
      if (signIn != null && Math.max(given, stream.getValue().last()) < signIn.latest()) {
        return false;
      }
    }
    return true;
  }

  HttpServices services() {
    return services;
  }

  /** Ends the client: out of the registry, streams closed, no longer a session; once. */
  final void end() {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    services.registry().remove(this);
    streams().values().forEach(SessionStream::close);
    services.admission().closed();
    services.goingAway().left(this);
    ended();
  }

  /** Whether {@link #end} ran. */
  final boolean isEnded() {
    return ended.get();
  }

  /** What a transport does once the client ended (complete the response). */
  protected abstract void ended();

  @Override
  public String id() {
    return id;
  }

  /** The names of the streams followed, the user's own first. */
  final List<String> streamNames() {
    return List.copyOf(streams().keySet());
  }
}
