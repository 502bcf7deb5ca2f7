package org.waterspout.security;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * What one client address may take of the connections: handshakes a second (a token bucket per
 * address, bursts of two seconds' worth) and WebSocket sockets open but not signed in yet. Without
 * these one address could take the whole handshake rate, or hold as many sockets as the file limit
 * allows for the auth timeout each, without ever showing a token.
 *
 * <p>An IPv6 client counts by its /64 (a host is given a whole /64 and picks addresses in it at
 * will), an IPv4 one by its address. An address is forgotten once its bucket is full again and it
 * holds no unauthenticated socket, so the map holds only addresses seen in the last few seconds,
 * whatever the number of addresses an attacker has.
 */
public final class AddressLimits {

  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  private static final double BURST_SECONDS = 2;

  private final LongSupplier nanoTime;
  private final ConcurrentHashMap<InetAddress, Entry> addresses = new ConcurrentHashMap<>();
  private final AtomicLong sweptAt;
  private final AtomicLong tickets = new AtomicLong();
  private final ConcurrentHashMap<String, Pending> pending = new ConcurrentHashMap<>();
  private final long ticketLifetimeNanos;
  private volatile int handshakesPerSecond;
  private volatile int maxUnauthenticated;

  /** Why an address may not open another connection now. */
  public enum Refusal {
    /** More handshakes a second than one address may make. */
    RATE,
    /** As many sockets open without a sign-in as one address may hold. */
    UNAUTHENTICATED
  }

  /** One address: its bucket and its sockets not signed in yet. Guarded by the map's bin lock. */
  private static final class Entry {
    double tokens;
    long refilledAt;
    int unauthenticated;

    Entry(double tokens, long refilledAt) {
      this.tokens = tokens;
      this.refilledAt = refilledAt;
    }
  }

  /** A socket admitted and not signed in yet: its address' key, and when. */
  private record Pending(InetAddress address, long admittedAt) {}

  /**
   * {@code ticketLifetime}: how long a socket counts at most without being told signed in or gone
   * (longer than the auth timeout: one upgraded that never opened, or whose close was lost).
   */
  public AddressLimits(
      int handshakesPerSecond,
      int maxUnauthenticated,
      Duration ticketLifetime,
      LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
    this.ticketLifetimeNanos = ticketLifetime.toNanos();
    this.sweptAt = new AtomicLong(nanoTime.getAsLong());
    handshakesPerSecond(handshakesPerSecond);
    maxUnauthenticated(maxUnauthenticated);
  }

  public int handshakesPerSecond() {
    return handshakesPerSecond;
  }

  public void handshakesPerSecond(int perSecond) {
    if (perSecond < 1) {
      throw new IllegalArgumentException("handshakes per address a second: 1 or more");
    }
    handshakesPerSecond = perSecond;
  }

  public int maxUnauthenticated() {
    return maxUnauthenticated;
  }

  public void maxUnauthenticated(int most) {
    if (most < 1) {
      throw new IllegalArgumentException("unauthenticated sockets per address: 1 or more");
    }
    maxUnauthenticated = most;
  }

  /**
   * What {@link #admit} says.
   *
   * @param refused why the handshake may not go on; null when it may
   * @param ticket when a WebSocket's may, the name its socket counts under as not signed in, until
   *     {@link #signedInOrGone} with it; else null
   */
  public record Verdict(Refusal refused, String ticket) {

    public boolean admitted() {
      return refused == null;
    }
  }

  /**
   * Takes a handshake of {@code address}'s allowance, or says why not. {@code socket}: a WebSocket
   * upgrade, which is also refused while the address holds its most unauthenticated sockets (an SSE
   * stream signs in with its request), and counts as one from now on.
   */
  public Verdict admit(InetAddress address, boolean socket) {
    long now = nanoTime.getAsLong();
    sweepIfDue(now);
    Refusal[] refused = new Refusal[1];
    InetAddress key = key(address);
    addresses.compute(
        key,
        (k, entry) -> {
          Entry e = entry == null ? new Entry(burst(), now) : entry;
          refill(e, now);
          if (socket && e.unauthenticated >= maxUnauthenticated) {
            refused[0] = Refusal.UNAUTHENTICATED;
          } else if (e.tokens < 1) {
            refused[0] = Refusal.RATE;
          } else {
            e.tokens -= 1;
            if (socket) {
              e.unauthenticated++;
            }
          }
          return e;
        });
    if (refused[0] != null) {
      return new Verdict(refused[0], null);
    }
    if (!socket) {
      return new Verdict(null, null);
    }
    String ticket = Long.toString(tickets.incrementAndGet(), 36);
    pending.put(ticket, new Pending(key, now));
    return new Verdict(null, ticket);
  }

  /**
   * The socket of {@code ticket} signed in, closed, or never opened: it no longer counts. Once per
   * ticket; an unknown or spent ticket (or null) changes nothing.
   */
  public void signedInOrGone(String ticket) {
    Pending p = ticket == null ? null : pending.remove(ticket);
    if (p != null) {
      release(p.address());
    }
  }

  private void release(InetAddress key) {
    addresses.computeIfPresent(
        key,
        (k, e) -> {
          e.unauthenticated = Math.max(0, e.unauthenticated - 1);
          return e;
        });
  }

  /** Sockets of {@code address} (of its /64 for IPv6) open and not signed in. */
  public int unauthenticated(InetAddress address) {
    Entry e = addresses.get(key(address));
    return e == null ? 0 : e.unauthenticated;
  }

  /** Addresses remembered now (for the tests: the map does not grow without bound). */
  int remembered() {
    return addresses.size();
  }

  private double burst() {
    return handshakesPerSecond * BURST_SECONDS;
  }

  private void refill(Entry e, long now) {
    e.tokens =
        Math.min(
            burst(),
            e.tokens + (now - e.refilledAt) * (double) handshakesPerSecond / NANOS_PER_SECOND);
    e.refilledAt = now;
  }

  /** At most once a second, forgets the addresses with a full bucket and no socket counted. */
  private void sweepIfDue(long now) {
    long last = sweptAt.get();
    if (now - last < NANOS_PER_SECOND || !sweptAt.compareAndSet(last, now)) {
      return;
    }
    pending.forEach(
        (ticket, p) -> {
          if (now - p.admittedAt() > ticketLifetimeNanos && pending.remove(ticket, p)) {
            release(p.address());
          }
        });
    for (InetAddress address : addresses.keySet()) {
      addresses.computeIfPresent(
          address,
          (k, e) -> {
            refill(e, now);
            return e.unauthenticated == 0 && e.tokens >= burst() ? null : e;
          });
    }
  }

  /** An IPv6 address' /64; an IPv4 address itself. */
  static InetAddress key(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return address;
    }
    byte[] bytes = Arrays.copyOf(address.getAddress(), 16);
    Arrays.fill(bytes, 8, 16, (byte) 0);
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("16 bytes are an IPv6 address", e);
    }
  }
}
