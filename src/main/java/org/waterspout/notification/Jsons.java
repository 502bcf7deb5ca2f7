package org.waterspout.notification;

import jakarta.json.spi.JsonProvider;

/**
 * The JSON-P provider, looked up once. Every static {@code Json.createXxx} call looks the provider
 * up anew ({@link JsonProvider#provider()}, a {@code ServiceLoader} scan of the class path): in the
 * benchmark's profile at 19,000 sessions on Payara that scan was 5.6 % of the server's CPU, from
 * encoding and checking each notification. Providers are thread-safe.
 */
public final class Jsons {

  /** The provider every encoder and parser of WaterSpout uses. */
  public static final JsonProvider PROVIDER = JsonProvider.provider();

  private Jsons() {}
}
