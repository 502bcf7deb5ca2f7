package org.waterspout.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AddressLimitsTest {

  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  private AddressLimits limits(int perSecond, int unauthenticated) {
    return new AddressLimits(perSecond, unauthenticated, Duration.ofSeconds(20), now::get);
  }

  private static InetAddress at(String literal) throws Exception {
    return InetAddress.getByName(literal);
  }

  private static AddressLimits.Refusal refused(AddressLimits.Verdict verdict) {
    return verdict.refused();
  }

  @Test
  void anAddressGetsTwoSecondsWorthAtOnceThenItsRate() throws Exception {
    AddressLimits limits = limits(5, 100);
    InetAddress a = at("192.0.2.1");
    for (int i = 0; i < 10; i++) {
      assertNull(refused(limits.admit(a, false)), "handshake " + i);
    }
    assertEquals(AddressLimits.Refusal.RATE, refused(limits.admit(a, false)));
    // Another address has its own allowance.
    assertNull(refused(limits.admit(at("192.0.2.2"), false)));
    now.addAndGet(200_000_000L);
    assertNull(refused(limits.admit(a, false)), "one more after a fifth of a second");
    assertEquals(AddressLimits.Refusal.RATE, refused(limits.admit(a, false)));
  }

  @Test
  void socketsNotSignedInAreCappedPerAddressAndFreedBySigningIn() throws Exception {
    AddressLimits limits = limits(1000, 3);
    InetAddress a = at("192.0.2.1");
    List<String> tickets = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      AddressLimits.Verdict verdict = limits.admit(a, true);
      assertTrue(verdict.admitted());
      assertNotNull(verdict.ticket());
      tickets.add(verdict.ticket());
    }
    assertEquals(AddressLimits.Refusal.UNAUTHENTICATED, refused(limits.admit(a, true)));
    // An SSE stream signs in with its request: only the rate applies to it, and it has no ticket.
    AddressLimits.Verdict stream = limits.admit(a, false);
    assertTrue(stream.admitted());
    assertNull(stream.ticket());
    assertTrue(limits.admit(at("192.0.2.9"), true).admitted());
    limits.signedInOrGone(tickets.get(0));
    limits.signedInOrGone(tickets.get(0));
    limits.signedInOrGone(null);
    assertEquals(2, limits.unauthenticated(a), "a ticket counts once");
    assertTrue(limits.admit(a, true).admitted());
    assertEquals(AddressLimits.Refusal.UNAUTHENTICATED, refused(limits.admit(a, true)));
  }

  @Test
  void aTicketNeverToldSignedInOrGoneStopsCountingAfterItsLifetime() throws Exception {
    AddressLimits limits = limits(1000, 1);
    InetAddress a = at("192.0.2.1");
    assertTrue(limits.admit(a, true).admitted());
    assertEquals(AddressLimits.Refusal.UNAUTHENTICATED, refused(limits.admit(a, true)));
    now.addAndGet(Duration.ofSeconds(21).toNanos());
    assertTrue(limits.admit(a, true).admitted());
  }

  @Test
  void anIpv6ClientCountsByItsSlash64() throws Exception {
    AddressLimits limits = limits(1000, 2);
    assertTrue(limits.admit(at("2001:db8:1:2::1"), true).admitted());
    assertTrue(limits.admit(at("2001:db8:1:2:ffff::7"), true).admitted());
    assertEquals(
        AddressLimits.Refusal.UNAUTHENTICATED,
        refused(limits.admit(at("2001:db8:1:2:abcd::99"), true)));
    assertTrue(limits.admit(at("2001:db8:1:3::1"), true).admitted());
  }

  @Test
  void idleAddressesAreForgottenSoTheMapDoesNotGrowWithTheAttackersAddresses() throws Exception {
    AddressLimits limits = limits(10, 5);
    for (int i = 0; i < 200; i++) {
      limits.admit(at("10.0." + i / 250 + "." + i % 250), false);
    }
    InetAddress holding = at("10.9.9.9");
    limits.admit(holding, true);
    assertTrue(limits.remembered() >= 201);
    now.addAndGet(3_000_000_000L);
    limits.admit(at("10.8.8.8"), false);
    // Only the address still holding a socket and the one just seen are left.
    assertEquals(2, limits.remembered());
    assertEquals(1, limits.unauthenticated(holding));
  }
}
