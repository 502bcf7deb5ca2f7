package org.waterspout.config;

/**
 * Configuration keys. MicroProfile Config also maps each to an environment variable: upper case,
 * with every non-alphanumeric character replaced by {@code _} (so {@code waterspout.token.secret}
 * is also {@code WATERSPOUT_TOKEN_SECRET}).
 */
public final class ConfigKeys {

  /** HS256 secret that signs client tokens; at least 32 bytes of UTF-8. */
  public static final String TOKEN_SECRET = "waterspout.token.secret";

  /**
   * Files of the token issuer's public keys (comma-separated paths): PEM ({@code BEGIN PUBLIC KEY})
   * or JWKS. RSA keys verify RS256 tokens, EC P-256 keys ES256 ones.
   */
  public static final String TOKEN_PUBLIC_KEYS = "waterspout.token.public-keys";

  /** The {@code iss} every token must name; blank: any. */
  public static final String TOKEN_ISSUER = "waterspout.token.issuer";

  /** The {@code aud} every token must include; blank: any. */
  public static final String TOKEN_AUDIENCE = "waterspout.token.audience";

  /** Demo mode: the demo page may mint tokens and send test messages. Never in production. */
  public static final String DEMO_ENABLED = "waterspout.demo.enabled";

  /** Largest accepted JMS message body in bytes. */
  public static final String MAX_MESSAGE_BYTES = "waterspout.message.max-bytes";

  /** Largest accepted client frame in bytes; larger frames close the socket with 1009. */
  public static final String MAX_FRAME_BYTES = "waterspout.ws.max-frame-bytes";

  /** Seconds a new socket has to send its auth frame. */
  public static final String AUTH_TIMEOUT_SECONDS = "waterspout.ws.auth-timeout-seconds";

  /** Frames a session may have waiting to be sent before it is closed as too slow. */
  public static final String OUTBOX_CAPACITY = "waterspout.ws.outbox-capacity";

  /** Milliseconds one send may take before the session is closed as broken. */
  public static final String SEND_TIMEOUT_MILLIS = "waterspout.ws.send-timeout-millis";

  /**
   * Milliseconds a new session waits, after {@code welcome}, for a {@code resume} frame before it
   * starts with the user's unacknowledged notifications.
   */
  public static final String RESUME_WAIT_MILLIS = "waterspout.ws.resume-wait-millis";

  /**
   * Most WebSocket sessions (open sockets and handshakes under way) this instance takes; past it a
   * handshake is refused with 503. 0 or absent: sized from the heap and the open-file limit.
   */
  public static final String MAX_SESSIONS = "waterspout.ws.max-sessions";

  /** Most WebSocket handshakes taken per second (bursts of one second's worth); more get 503. */
  public static final String MAX_HANDSHAKES_PER_SECOND = "waterspout.ws.max-handshakes-per-second";

  /**
   * Percent of the old generation, as the last collection left it, past which handshakes get 503.
   */
  public static final String HEAP_WATERMARK_PERCENT = "waterspout.ws.heap-watermark-percent";

  /** Seconds between two pings to a session; two unanswered pings close it. */
  public static final String PING_INTERVAL_SECONDS = "waterspout.ws.ping-interval-seconds";

  /** Store each notification before pushing it (resume, ack, receipts); false pushes live only. */
  public static final String HISTORY_ENABLED = "waterspout.history.enabled";

  /** Create the history tables at start-up when missing; false when a DBA manages the schema. */
  public static final String HISTORY_CREATE_SCHEMA = "waterspout.history.create-schema";

  /** Minutes a notification is kept for resume, and its id for de-duplication. */
  public static final String HISTORY_MAX_AGE_MINUTES = "waterspout.history.max-age-minutes";

  /** Notifications kept per user; older ones are dropped (a resume past them gets a gap). */
  public static final String HISTORY_MAX_PER_USER = "waterspout.history.max-per-user";

  /** Seconds between two retention passes. */
  public static final String HISTORY_PURGE_INTERVAL_SECONDS =
      "waterspout.history.purge-interval-seconds";

  /**
   * Milliseconds a member's acks of a group stream gather before they are stored, unless a
   * notification of the stream waits for its receipt; 0 stores them as fast as a user's own.
   */
  public static final String HISTORY_GROUP_ACK_DELAY_MILLIS =
      "waterspout.history.group-ack-delay-millis";

  /**
   * Deliveries of a message the history refuses (for a reason other than being unreachable) before
   * it is moved to the rejected queue with that reason, instead of being redelivered again.
   */
  public static final String INTAKE_MAX_ATTEMPTS = "waterspout.intake.max-attempts";

  /**
   * Publish every numbered notification on the fan-out topic, and push those other instances
   * publish there to this instance's sessions: on for several instances behind a load balancer.
   */
  public static final String CLUSTER_FANOUT = "waterspout.cluster.fanout";

  /** This instance's name on the admin page's cluster view (default: host name and process id). */
  public static final String INSTANCE_NAME = "waterspout.instance.name";

  /** Seconds after which a notification nobody acknowledged gets an {@code unseen} receipt. */
  public static final String RECEIPT_UNSEEN_AFTER_SECONDS =
      "waterspout.receipts.unseen-after-seconds";

  private ConfigKeys() {}

  /**
   * Origins allowed to open client connections besides the server's own: a comma-separated list of
   * {@code scheme://host[:port]}, {@code scheme://*.domain} (its subdomains), {@code null} (a
   * sandboxed frame) or {@code *} (any). A request with no Origin header is not a page and passes.
   */
  public static final String ALLOWED_ORIGINS = "waterspout.security.allowed-origins";

  /** Client addresses allowed (comma-separated CIDR blocks, IPv4 and IPv6); blank: any. */
  public static final String IP_ALLOW = "waterspout.security.ip-allow";

  /** Client addresses refused (comma-separated CIDR blocks), even when allowed. */
  public static final String IP_DENY = "waterspout.security.ip-deny";

  /**
   * Proxies (comma-separated CIDR blocks) whose {@code Forwarded} or {@code X-Forwarded-For} names
   * the client; nobody else's is read.
   */
  public static final String TRUSTED_PROXIES = "waterspout.security.trusted-proxies";

  /** Frames a session may send per second (bursts of two seconds' worth); more close it, 1008. */
  public static final String MAX_FRAMES_PER_SECOND = "waterspout.ws.max-frames-per-second";

  /** Sessions one user may hold on this instance; a sign-in past it is closed with 1008. */
  public static final String MAX_SESSIONS_PER_USER = "waterspout.ws.max-sessions-per-user";

  /**
   * WebSocket and SSE handshakes one client address may make a second (bursts of two seconds'
   * worth); more get 429. An IPv6 client counts by its /64.
   */
  public static final String MAX_HANDSHAKES_PER_ADDRESS_PER_SECOND =
      "waterspout.security.max-handshakes-per-address-per-second";

  /**
   * WebSocket sockets one client address may hold open before they sign in; a handshake past it
   * gets 429.
   */
  public static final String MAX_UNAUTHENTICATED_PER_ADDRESS =
      "waterspout.security.max-unauthenticated-per-address";
}
