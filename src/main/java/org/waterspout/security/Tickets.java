package org.waterspout.security;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.waterspout.notification.Jsons;

/**
 * One-time tickets for clients that cannot send an {@code Authorization} header ({@code
 * EventSource}): a client trades its token for a ticket ({@code POST /api/tickets}) and puts the
 * ticket in the URL, where access logs keep it. So a ticket lives {@link #LIFETIME}, is taken once,
 * and is good for nothing else: signed with a key of its own, derived from the token secret, it is
 * not a token, and a token is not a ticket. It carries the token's identity (user, groups, expiry),
 * so any instance of a cluster that shares the secret takes it without asking the others; each
 * instance remembers the tickets it took until they expire (one taken on one instance could be
 * taken once more on another within those seconds: a leak through a log must be that fast).
 */
public final class Tickets {

  /** How long a ticket may wait to be used. */
  public static final Duration LIFETIME = Duration.ofSeconds(30);

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
  private static final int MAX_LENGTH = 8_192;
  private static final String ALGORITHM = "HmacSHA256";

  private final SecretKeySpec key;

  /** Ticket ids taken, with when each expires (epoch seconds). */
  private final Map<String, Long> taken = new ConcurrentHashMap<>();

  public Tickets(byte[] tokenSecret) {
    try {
      Mac derive = Mac.getInstance(ALGORITHM);
      derive.init(new SecretKeySpec(tokenSecret, ALGORITHM));
      key =
          new SecretKeySpec(
              derive.doFinal("waterspout one-time ticket v1".getBytes(StandardCharsets.UTF_8)),
              ALGORITHM);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is missing from this JVM", e);
    }
  }

  /** A ticket for {@code identity}, valid until {@link #LIFETIME} from {@code now}. */
  public String issue(Identity identity, Instant now) {
    byte[] id = new byte[16];
    RANDOM.nextBytes(id);
    JsonArrayBuilder groups = Jsons.PROVIDER.createArrayBuilder();
    new TreeSet<>(identity.groups()).forEach(groups::add);
    String payload =
        Jsons.PROVIDER
            .createObjectBuilder()
            .add("id", ENCODER.encodeToString(id))
            .add("until", now.plus(LIFETIME).getEpochSecond())
            .add("sub", identity.user())
            .add("groups", groups)
            .add("exp", identity.expiresAt().getEpochSecond())
            .build()
            .toString();
    String body = ENCODER.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
    return body + "." + ENCODER.encodeToString(mac(body));
  }

  /**
   * The identity of a ticket that is genuine, unexpired at {@code now} and not taken before; the
   * ticket is taken. Empty otherwise, whatever the reason (a caller learns nothing from it).
   */
  public Optional<Identity> take(String ticket, Instant now) {
    if (ticket == null || ticket.length() > MAX_LENGTH) {
      return Optional.empty();
    }
    int dot = ticket.indexOf('.');
    if (dot <= 0 || dot != ticket.lastIndexOf('.')) {
      return Optional.empty();
    }
    String body = ticket.substring(0, dot);
    String id;
    long until;
    Identity identity;
    try {
      if (!MessageDigest.isEqual(DECODER.decode(ticket.substring(dot + 1)), mac(body))) {
        return Optional.empty();
      }
      JsonObject payload =
          Jsons.PROVIDER
              .createReader(
                  new StringReader(new String(DECODER.decode(body), StandardCharsets.UTF_8)))
              .readObject();
      id = payload.getString("id");
      until = payload.getJsonNumber("until").longValueExact();
      Set<String> groups = new TreeSet<>();
      payload
          .getJsonArray("groups")
          .getValuesAs(JsonString.class)
          .forEach(g -> groups.add(g.getString()));
      identity =
          new Identity(
              payload.getString("sub"),
              groups,
              Instant.ofEpochSecond(payload.getJsonNumber("exp").longValueExact()));
    } catch (RuntimeException e) {
      // Not base64, not JSON, not our fields: not a ticket of ours (a genuine MAC makes it ours).
      return Optional.empty();
    }
    if (now.getEpochSecond() > until || !now.isBefore(identity.expiresAt())) {
      return Optional.empty();
    }
    forgetExpired(now);
    if (taken.putIfAbsent(id, until) != null) {
      return Optional.empty();
    }
    return Optional.of(identity);
  }

  /** Tickets taken and not expired yet. */
  public int remembered() {
    return taken.size();
  }

  private void forgetExpired(Instant now) {
    long seconds = now.getEpochSecond();
    for (Iterator<Long> until = taken.values().iterator(); until.hasNext(); ) {
      if (until.next() < seconds) {
        until.remove();
      }
    }
  }

  private byte[] mac(String body) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac.doFinal(body.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is missing from this JVM", e);
    }
  }
}
