package org.waterspout.security;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;
import org.waterspout.config.Settings;

/**
 * The perimeter of this deployment (read once from the settings), what one client address may take
 * ({@link AddressLimits}), and how often each defence turned a client away, for the metrics and the
 * admin page.
 */
@ApplicationScoped
public class Defences {

  private static final Logger LOG = Logger.getLogger(Defences.class.getName());

  /** What refused a client; the label names it in {@code waterspout_refused_total}. */
  public enum Defence {
    /** A page from an origin that is not allowed (403 before the upgrade). */
    ORIGIN("origin"),
    /** A client address denied or not allowed (403 before the upgrade). */
    ADDRESS("address"),
    /** A session that sent frames faster than allowed (closed with 1008). */
    FRAME_RATE("frame-rate"),
    /** A sign-in past the sessions one user may hold (closed with 1008). */
    USER_SESSIONS("user-sessions"),
    /** A handshake past its address' rate (429 before the upgrade). */
    ADDRESS_RATE("address-rate"),
    /** A WebSocket handshake of an address holding its most unauthenticated sockets (429). */
    UNAUTHENTICATED("unauthenticated");

    private final String label;

    Defence(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  @Inject Settings settings;

  private Perimeter perimeter;
  private AddressLimits addressLimits;
  private final Map<Defence, LongAdder> refused = new EnumMap<>(Defence.class);

  @PostConstruct
  void read() {
    for (Defence d : Defence.values()) {
      refused.put(d, new LongAdder());
    }
    try {
      perimeter = settings.perimeter();
    } catch (IllegalArgumentException e) {
      // StartupCheck has refused the deployment already; nobody passes meanwhile.
      perimeter = Perimeter.of("", "0.0.0.0/0, ::/0", "", "");
    }
    addressLimits =
        new AddressLimits(
            Math.max(1, settings.access().maxHandshakesPerAddressPerSecond()),
            Math.max(1, settings.access().maxUnauthenticatedPerAddress()),
            // A socket not signed in is closed at the auth timeout; past this it counts no more.
            settings.authTimeout().plusSeconds(10),
            System::nanoTime);
    Perimeter p = perimeter;
    LOG.info(
        () ->
            "Client paths take "
                + (p.allow().isEmpty() ? "any address" : "addresses in " + p.allow())
                + (p.deny().isEmpty() ? "" : " except " + p.deny())
                + (p.trustedProxies().isEmpty()
                    ? ", forwarding headers ignored"
                    : ", forwarding headers read from " + p.trustedProxies())
                + "; pages from this server's origin"
                + (p.origins().isEmpty() ? "" : " and " + p.origins())
                + ", and clients that send no Origin; each address at most "
                + addressLimits.handshakesPerSecond()
                + " handshakes a second and "
                + addressLimits.maxUnauthenticated()
                + " sockets not signed in");
  }

  /** What one client address may take of the connections (settable through JMX). */
  public AddressLimits addressLimits() {
    return addressLimits;
  }

  public Perimeter perimeter() {
    return perimeter;
  }

  /** Counts one client turned away by {@code defence}. */
  public void refused(Defence defence) {
    refused.get(defence).increment();
  }

  /** How many clients {@code defence} turned away since the start. */
  public long refusedBy(Defence defence) {
    return refused.get(defence).sum();
  }
}
