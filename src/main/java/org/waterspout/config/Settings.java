package org.waterspout.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.waterspout.security.Perimeter;
import org.waterspout.security.VerificationKeys;

/**
 * WaterSpout's settings, read once and checked together so that a misconfiguration is reported as
 * one clear list at start-up.
 *
 * @param tokenSecret the configured HS256 secret, if any (see {@link #problems()})
 * @param tokenPublicKeys files of the issuer's public keys (RS256, ES256), if any
 * @param tokenIssuer the {@code iss} tokens must name, if configured
 * @param tokenAudience the {@code aud} tokens must include, if configured
 * @param demoEnabled whether demo mode is on
 * @param maxMessageBytes largest accepted JMS message body
 * @param maxFrameBytes largest accepted client frame
 * @param authTimeout how long a new socket may stay unauthenticated
 * @param outboxCapacity frames a session may have queued before it counts as too slow
 * @param sendTimeout how long one send may take
 * @param resumeWait how long a new session waits for {@code resume} before it starts unacknowledged
 * @param history the history store's settings
 * @param protection the limits that keep the server healthy under load
 * @param access who may reach the client paths, as configured (see {@link #perimeter()})
 * @param fanout whether numbered notifications go over the fan-out topic to every instance
 * @param instanceName this instance's name on the admin page's cluster view (default: the host's
 *     name and the process id)
 */
public record Settings(
    Optional<String> tokenSecret,
    List<Path> tokenPublicKeys,
    Optional<String> tokenIssuer,
    Optional<String> tokenAudience,
    boolean demoEnabled,
    int maxMessageBytes,
    int maxFrameBytes,
    Duration authTimeout,
    int outboxCapacity,
    Duration sendTimeout,
    Duration resumeWait,
    History history,
    Protection protection,
    Access access,
    boolean fanout,
    Optional<String> instanceName) {

  public Settings {
    tokenPublicKeys = List.copyOf(tokenPublicKeys);
  }

  /**
   * The history store's settings.
   *
   * @param enabled whether notifications are stored before they are pushed
   * @param createSchema whether WaterSpout applies its schema's migrations at start-up
   * @param maxAge how long a notification (and its id, for de-duplication) is kept
   * @param maxPerUser how many notifications are kept per user
   * @param purgeInterval how often retention runs
   * @param unseenAfter when a notification nobody acknowledged gets an {@code unseen} receipt
   * @param groupAckDelay how long a member's acks of a group stream gather before they are stored
   *     (when none of the stream's notifications waits for a receipt)
   * @param intakeMaxAttempts deliveries of a message the store refuses before it is rejected
   */
  public record History(
      boolean enabled,
      boolean createSchema,
      Duration maxAge,
      int maxPerUser,
      Duration purgeInterval,
      Duration unseenAfter,
      Duration groupAckDelay,
      int intakeMaxAttempts) {}

  /**
   * The limits that keep the server healthy under load.
   *
   * @param maxSessions most sessions (open sockets and handshakes under way); 0: from the heap and
   *     the open-file limit
   * @param maxHandshakesPerSecond most handshakes taken per second
   * @param heapWatermarkPercent old-generation use after collection past which handshakes are
   *     refused
   * @param pingInterval time between two pings to a session
   */
  public record Protection(
      int maxSessions,
      int maxHandshakesPerSecond,
      int heapWatermarkPercent,
      Duration pingInterval) {}

  /**
   * Who may reach the client paths, and how much one session or user may take.
   *
   * @param allowedOrigins {@value ConfigKeys#ALLOWED_ORIGINS}, as configured
   * @param ipAllow {@value ConfigKeys#IP_ALLOW}, as configured
   * @param ipDeny {@value ConfigKeys#IP_DENY}, as configured
   * @param trustedProxies {@value ConfigKeys#TRUSTED_PROXIES}, as configured
   * @param maxFramesPerSecond frames a session may send per second
   * @param maxSessionsPerUser sessions one user may hold on this instance
   * @param maxHandshakesPerAddressPerSecond WebSocket and SSE handshakes one client address may
   *     make a second
   * @param maxUnauthenticatedPerAddress WebSocket sockets one client address may hold open without
   *     a sign-in
   */
  public record Access(
      String allowedOrigins,
      String ipAllow,
      String ipDeny,
      String trustedProxies,
      int maxFramesPerSecond,
      int maxSessionsPerUser,
      int maxHandshakesPerAddressPerSecond,
      int maxUnauthenticatedPerAddress) {}

  /**
   * The largest JMS message body any configuration may allow: a stored notification must fit the
   * history's frame column (1 MiB of characters) with room for the fields WaterSpout adds.
   */
  public static final int MAX_MESSAGE_BYTES_LIMIT = 1_000_000;

  /**
   * The largest client frame any configuration may allow. The endpoint declares it to the container
   * as the hard limit, so no server buffers more than this for one frame, whatever it does with the
   * session's own limit.
   */
  public static final int MAX_FRAME_BYTES_LIMIT = 1024 * 1024;

  /**
   * Deliveries of a message the store refuses before it is rejected: below the input queue's {@code
   * max-delivery-attempts} (10 in {@code server-config}), so that such a message reaches the
   * rejected queue with its reason rather than the dead-letter queue without one; with the broker's
   * back-off (1, 2, 4, 8 s) it is rejected about 15 s after it first came.
   */
  public static final int DEFAULT_INTAKE_MAX_ATTEMPTS = 5;

  /** HS256 needs a key at least as long as its hash: 256 bits. */
  public static final int MIN_SECRET_BYTES = 32;

  /** Reads settings from any key lookup (MicroProfile Config in the server, a map in tests). */
  public static Settings from(Function<String, Optional<String>> config) {
    return new Settings(
        config.apply(ConfigKeys.TOKEN_SECRET).filter(s -> !s.isBlank()),
        config.apply(ConfigKeys.TOKEN_PUBLIC_KEYS).stream()
            .flatMap(list -> Arrays.stream(list.split(",")))
            .map(String::strip)
            .filter(p -> !p.isEmpty())
            .map(Path::of)
            .toList(),
        config.apply(ConfigKeys.TOKEN_ISSUER).map(String::strip).filter(s -> !s.isEmpty()),
        config.apply(ConfigKeys.TOKEN_AUDIENCE).map(String::strip).filter(s -> !s.isEmpty()),
        config.apply(ConfigKeys.DEMO_ENABLED).map(Boolean::parseBoolean).orElse(false),
        integer(config, ConfigKeys.MAX_MESSAGE_BYTES, 64 * 1024),
        integer(config, ConfigKeys.MAX_FRAME_BYTES, 16 * 1024),
        Duration.ofSeconds(integer(config, ConfigKeys.AUTH_TIMEOUT_SECONDS, 10)),
        integer(config, ConfigKeys.OUTBOX_CAPACITY, 1024),
        Duration.ofMillis(integer(config, ConfigKeys.SEND_TIMEOUT_MILLIS, 10_000)),
        Duration.ofMillis(integer(config, ConfigKeys.RESUME_WAIT_MILLIS, 1000)),
        new History(
            config.apply(ConfigKeys.HISTORY_ENABLED).map(Boolean::parseBoolean).orElse(true),
            config.apply(ConfigKeys.HISTORY_CREATE_SCHEMA).map(Boolean::parseBoolean).orElse(true),
            Duration.ofMinutes(integer(config, ConfigKeys.HISTORY_MAX_AGE_MINUTES, 7 * 24 * 60)),
            integer(config, ConfigKeys.HISTORY_MAX_PER_USER, 1000),
            Duration.ofSeconds(integer(config, ConfigKeys.HISTORY_PURGE_INTERVAL_SECONDS, 60)),
            Duration.ofSeconds(integer(config, ConfigKeys.RECEIPT_UNSEEN_AFTER_SECONDS, 300)),
            Duration.ofMillis(integer(config, ConfigKeys.HISTORY_GROUP_ACK_DELAY_MILLIS, 30_000)),
            integer(config, ConfigKeys.INTAKE_MAX_ATTEMPTS, DEFAULT_INTAKE_MAX_ATTEMPTS)),
        new Protection(
            integer(config, ConfigKeys.MAX_SESSIONS, 0),
            integer(config, ConfigKeys.MAX_HANDSHAKES_PER_SECOND, 1000),
            integer(config, ConfigKeys.HEAP_WATERMARK_PERCENT, 90),
            Duration.ofSeconds(integer(config, ConfigKeys.PING_INTERVAL_SECONDS, 25))),
        new Access(
            config.apply(ConfigKeys.ALLOWED_ORIGINS).orElse(""),
            config.apply(ConfigKeys.IP_ALLOW).orElse(""),
            config.apply(ConfigKeys.IP_DENY).orElse(""),
            config.apply(ConfigKeys.TRUSTED_PROXIES).orElse(""),
            integer(config, ConfigKeys.MAX_FRAMES_PER_SECOND, 50),
            integer(config, ConfigKeys.MAX_SESSIONS_PER_USER, 20),
            integer(config, ConfigKeys.MAX_HANDSHAKES_PER_ADDRESS_PER_SECOND, 1000),
            integer(config, ConfigKeys.MAX_UNAUTHENTICATED_PER_ADDRESS, 500)),
        config.apply(ConfigKeys.CLUSTER_FANOUT).map(Boolean::parseBoolean).orElse(false),
        config.apply(ConfigKeys.INSTANCE_NAME).map(String::strip).filter(s -> !s.isEmpty()));
  }

  /**
   * What stops the WebSocket endpoint from starting; empty when it may start. Outside demo mode a
   * secret of at least {@value #MIN_SECRET_BYTES} bytes is required. Demo mode never refuses: it
   * replaces a missing or short secret with a random one (see {@link #usableSecret()}).
   */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (!demoEnabled) {
      if (tokenSecret.isEmpty() && tokenPublicKeys.isEmpty()) {
        problems.add(
            ConfigKeys.TOKEN_SECRET
                + " is not set (environment: WATERSPOUT_TOKEN_SECRET), nor are "
                + ConfigKeys.TOKEN_PUBLIC_KEYS);
      } else if (tokenSecret.isPresent() && usableSecret().isEmpty()) {
        problems.add(
            ConfigKeys.TOKEN_SECRET
                + " is too short: HS256 needs at least "
                + MIN_SECRET_BYTES
                + " bytes");
      }
    }
    positive(problems, ConfigKeys.MAX_MESSAGE_BYTES, maxMessageBytes, 1024);
    positive(problems, ConfigKeys.MAX_FRAME_BYTES, maxFrameBytes, 1024);
    if (maxMessageBytes > MAX_MESSAGE_BYTES_LIMIT) {
      problems.add(
          ConfigKeys.MAX_MESSAGE_BYTES
              + " must be at most "
              + MAX_MESSAGE_BYTES_LIMIT
              + " (got "
              + maxMessageBytes
              + ")");
    }
    if (maxFrameBytes > MAX_FRAME_BYTES_LIMIT) {
      problems.add(
          ConfigKeys.MAX_FRAME_BYTES
              + " must be at most "
              + MAX_FRAME_BYTES_LIMIT
              + " (got "
              + maxFrameBytes
              + ")");
    }
    positive(problems, ConfigKeys.AUTH_TIMEOUT_SECONDS, (int) authTimeout.toSeconds(), 1);
    positive(problems, ConfigKeys.OUTBOX_CAPACITY, outboxCapacity, 1);
    positive(problems, ConfigKeys.SEND_TIMEOUT_MILLIS, (int) sendTimeout.toMillis(), 100);
    positive(problems, ConfigKeys.RESUME_WAIT_MILLIS, (int) resumeWait.toMillis(), 0);
    positive(problems, ConfigKeys.HISTORY_MAX_AGE_MINUTES, (int) history.maxAge().toMinutes(), 1);
    positive(problems, ConfigKeys.HISTORY_MAX_PER_USER, history.maxPerUser(), 1);
    positive(
        problems,
        ConfigKeys.HISTORY_PURGE_INTERVAL_SECONDS,
        (int) history.purgeInterval().toSeconds(),
        1);
    positive(
        problems,
        ConfigKeys.RECEIPT_UNSEEN_AFTER_SECONDS,
        (int) history.unseenAfter().toSeconds(),
        1);
    positive(
        problems,
        ConfigKeys.HISTORY_GROUP_ACK_DELAY_MILLIS,
        (int) history.groupAckDelay().toMillis(),
        0);
    positive(problems, ConfigKeys.INTAKE_MAX_ATTEMPTS, history.intakeMaxAttempts(), 1);
    positive(problems, ConfigKeys.MAX_SESSIONS, protection.maxSessions(), 0);
    positive(
        problems, ConfigKeys.MAX_HANDSHAKES_PER_SECOND, protection.maxHandshakesPerSecond(), 1);
    positive(problems, ConfigKeys.HEAP_WATERMARK_PERCENT, protection.heapWatermarkPercent(), 1);
    if (protection.heapWatermarkPercent() > 100) {
      problems.add(ConfigKeys.HEAP_WATERMARK_PERCENT + " must be at most 100");
    }
    positive(
        problems, ConfigKeys.PING_INTERVAL_SECONDS, (int) protection.pingInterval().toSeconds(), 1);
    positive(problems, ConfigKeys.MAX_FRAMES_PER_SECOND, access.maxFramesPerSecond(), 1);
    positive(problems, ConfigKeys.MAX_SESSIONS_PER_USER, access.maxSessionsPerUser(), 1);
    positive(
        problems,
        ConfigKeys.MAX_HANDSHAKES_PER_ADDRESS_PER_SECOND,
        access.maxHandshakesPerAddressPerSecond(),
        1);
    positive(
        problems,
        ConfigKeys.MAX_UNAUTHENTICATED_PER_ADDRESS,
        access.maxUnauthenticatedPerAddress(),
        1);
    try {
      perimeter();
    } catch (IllegalArgumentException e) {
      problems.add("waterspout.security: " + e.getMessage());
    }
    try {
      VerificationKeys.of(null, VerificationKeys.read(tokenPublicKeys));
    } catch (IllegalArgumentException e) {
      problems.add(ConfigKeys.TOKEN_PUBLIC_KEYS + ": " + e.getMessage());
    }
    if (history.unseenAfter().compareTo(history.maxAge()) >= 0) {
      // Retention would delete a notification before its unseen receipt is due.
      problems.add(
          ConfigKeys.RECEIPT_UNSEEN_AFTER_SECONDS
              + " must be shorter than "
              + ConfigKeys.HISTORY_MAX_AGE_MINUTES);
    }
    return problems;
  }

  /**
   * The IP lists, trusted proxies and allowed origins, read; throws {@link
   * IllegalArgumentException} naming a bad entry (reported by {@link #problems()}).
   */
  public Perimeter perimeter() {
    return Perimeter.of(
        access.ipAllow(), access.ipDeny(), access.trustedProxies(), access.allowedOrigins());
  }

  /** The configured secret, if it is long enough for HS256. */
  public Optional<byte[]> usableSecret() {
    return tokenSecret
        .map(secret -> secret.getBytes(StandardCharsets.UTF_8))
        .filter(bytes -> bytes.length >= MIN_SECRET_BYTES);
  }

  private static void positive(List<String> problems, String key, int value, int min) {
    if (value < min) {
      problems.add(key + " must be at least " + min + " (got " + value + ")");
    }
  }

  private static int integer(
      Function<String, Optional<String>> config, String key, int defaultValue) {
    Optional<String> text = config.apply(key);
    if (text.isEmpty()) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(text.get().trim());
    } catch (NumberFormatException e) {
      // Reported by problems() as out of range rather than thrown from a config read.
      return Integer.MIN_VALUE;
    }
  }
}
