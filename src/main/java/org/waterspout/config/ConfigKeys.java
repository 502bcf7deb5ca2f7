package org.waterspout.config;

/**
 * Configuration keys. MicroProfile Config also maps each to an environment variable: upper case,
 * with every non-alphanumeric character replaced by {@code _} (so {@code waterspout.token.secret}
 * is also {@code WATERSPOUT_TOKEN_SECRET}).
 */
public final class ConfigKeys {

  /** HS256 secret that signs client tokens; at least 32 bytes of UTF-8. */
  public static final String TOKEN_SECRET = "waterspout.token.secret";

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

  private ConfigKeys() {}
}
