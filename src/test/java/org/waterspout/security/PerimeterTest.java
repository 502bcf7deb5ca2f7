package org.waterspout.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PerimeterTest {

  private static InetAddress ip(String literal) {
    return AddressRange.literal(literal).orElseThrow();
  }

  private static Perimeter.Request from(String peer) {
    return new Perimeter.Request(peer, "notify.example.com", null, List.of(), List.of(), List.of());
  }

  private static Perimeter.Request page(String origin, String host) {
    return new Perimeter.Request("192.0.2.1", host, origin, List.of(), List.of(), List.of());
  }

  @Test
  void cidrBlocksMatchTheirAddressesOnly() {
    AddressRange ten = AddressRange.parse("10.0.0.0/8");
    assertTrue(ten.contains(ip("10.255.1.2")));
    assertFalse(ten.contains(ip("11.0.0.1")));
    AddressRange v6 = AddressRange.parse("2001:db8::/32");
    assertTrue(v6.contains(ip("2001:db8:ffff::1")));
    assertFalse(v6.contains(ip("2001:db9::1")));
    assertFalse(v6.contains(ip("10.0.0.1")), "never across families");
    assertTrue(AddressRange.parse("192.0.2.7").contains(ip("192.0.2.7")));
    assertFalse(AddressRange.parse("192.0.2.7").contains(ip("192.0.2.8")));
    assertTrue(AddressRange.parse("0.0.0.0/0").contains(ip("203.0.113.9")));
    assertTrue(ten.contains(ip("::ffff:10.1.2.3")), "an IPv4-mapped address is its IPv4 one");
    assertTrue(AddressRange.parse("192.0.2.0/25").contains(ip("192.0.2.127")));
    assertFalse(AddressRange.parse("192.0.2.0/25").contains(ip("192.0.2.128")));
  }

  @Test
  void namesAndBadBlocksAreRefusedWithoutALookup() {
    for (String bad :
        List.of("localhost", "example.com", "10.0.0.0/33", "::/129", "10.0.0.0/x", "")) {
      assertThrows(IllegalArgumentException.class, () -> AddressRange.parse(bad), bad);
    }
    assertEquals(Optional.empty(), AddressRange.literal("example.com"));
  }

  @Test
  void denyWinsOverAllowAndAnAllowListKeepsOthersOut() {
    Perimeter p = Perimeter.of("10.0.0.0/8, 2001:db8::/32", "10.6.6.0/24", "", "");
    assertTrue(p.check(from("10.1.1.1")).isEmpty());
    assertTrue(p.check(from("2001:db8::5")).isEmpty());
    assertEquals(Optional.of(Defences.Defence.ADDRESS), p.check(from("10.6.6.6")));
    assertEquals(Optional.of(Defences.Defence.ADDRESS), p.check(from("192.0.2.1")));
    Perimeter denyOnly = Perimeter.of("", "192.0.2.0/24", "", "");
    assertTrue(denyOnly.check(from("198.51.100.1")).isEmpty());
    assertEquals(Optional.of(Defences.Defence.ADDRESS), denyOnly.check(from("192.0.2.9")));
  }

  @Test
  void forwardingHeadersCountOnlyFromATrustedProxy() {
    Perimeter p = Perimeter.of("", "203.0.113.0/24", "10.0.0.2, 10.0.0.3", "");
    // A denied client claiming to be someone else, straight to the server: its own address counts.
    var spoofed =
        new Perimeter.Request(
            "203.0.113.5",
            "h",
            null,
            List.of("for=198.51.100.1"),
            List.of("198.51.100.1"),
            List.of());
    assertEquals(Optional.of(Defences.Defence.ADDRESS), p.check(spoofed));
    // Through the trusted proxy: the address it appended (the rightmost) is the client.
    var viaProxy =
        new Perimeter.Request(
            "10.0.0.2", "h", null, List.of(), List.of("198.51.100.1, 203.0.113.5"), List.of());
    assertEquals(Optional.of(ip("203.0.113.5")), p.clientAddress(viaProxy));
    assertEquals(Optional.of(Defences.Defence.ADDRESS), p.check(viaProxy));
    // Two trusted proxies in a row are both skipped; what the client wrote left of them is not.
    var twoHops =
        new Perimeter.Request(
            "10.0.0.2",
            "h",
            null,
            List.of(),
            List.of("203.0.113.5", "198.51.100.7, 10.0.0.3"),
            List.of());
    assertEquals(Optional.of(ip("198.51.100.7")), p.clientAddress(twoHops));
    // RFC 7239, preferred over X-Forwarded-For: quoted IPv6 with a port, IPv4 with a port.
    var forwarded =
        new Perimeter.Request(
            "10.0.0.2",
            "h",
            null,
            List.of("for=192.0.2.60;proto=http, for=\"[2001:db8:cafe::17]:4711\""),
            List.of("203.0.113.5"),
            List.of());
    assertEquals(Optional.of(ip("2001:db8:cafe::17")), p.clientAddress(forwarded));
    assertEquals(
        List.of("192.0.2.60", "2001:db8:cafe::17", "unknown"),
        Perimeter.forwardedFor(
            List.of("for=192.0.2.60:80;by=x", "for=\"[2001:db8:cafe::17]\", for=unknown")));
    // A proxy that names no client, or an obfuscated one: the proxy's own address.
    var unknown =
        new Perimeter.Request("10.0.0.2", "h", null, List.of("for=_hidden"), List.of(), List.of());
    assertEquals(Optional.of(ip("10.0.0.2")), p.clientAddress(unknown));
  }

  @Test
  void theServersOwnOriginAndRequestsWithoutOnePass() {
    Perimeter p = Perimeter.of("", "", "", "");
    assertTrue(p.check(page(null, "localhost:8080")).isEmpty(), "no Origin: not a page");
    assertTrue(p.check(page("http://localhost:8080", "localhost:8080")).isEmpty());
    assertTrue(p.check(page("HTTP://LocalHost:8080", "localhost:8080")).isEmpty());
    assertTrue(p.check(page("https://notify.example.com", "notify.example.com")).isEmpty());
    assertTrue(p.check(page("http://notify.example.com:80", "notify.example.com")).isEmpty());
    assertTrue(p.check(page("https://[::1]:8443", "[::1]:8443")).isEmpty());
    for (String foreign :
        List.of(
            "http://evil.example",
            "http://localhost:8081",
            "http://localhost.evil.example:8080",
            "null",
            "http://localhost:8080/path",
            "not an origin")) {
      assertEquals(
          Optional.of(Defences.Defence.ORIGIN), p.check(page(foreign, "localhost:8080")), foreign);
    }
    assertEquals(
        Optional.of(Defences.Defence.ORIGIN),
        p.check(page("https://notify.example.com:8443", "notify.example.com")));
  }

  @Test
  void configuredOriginsAddToTheServersOwn() {
    Perimeter p =
        Perimeter.of("", "", "", "https://app.example.com, https://*.example.net:8443, null");
    assertTrue(p.check(page("https://app.example.com", "ws.example.com")).isEmpty());
    assertTrue(p.check(page("https://app.example.com:443", "ws.example.com")).isEmpty());
    assertTrue(p.check(page("https://ws.example.com", "ws.example.com")).isEmpty());
    assertTrue(p.check(page("https://a.b.example.net:8443", "ws.example.com")).isEmpty());
    assertTrue(p.check(page("null", "ws.example.com")).isEmpty());
    for (String foreign :
        List.of(
            "http://app.example.com",
            "https://app.example.com:8443",
            "https://example.net:8443",
            "https://a.example.net",
            "https://evilexample.net:8443")) {
      assertEquals(
          Optional.of(Defences.Defence.ORIGIN), p.check(page(foreign, "ws.example.com")), foreign);
    }
    assertTrue(Perimeter.of("", "", "", "*").check(page("http://evil.example", "h")).isEmpty());
    assertThrows(IllegalArgumentException.class, () -> Perimeter.of("", "", "", "app.example.com"));
  }

  @Test
  void aTrustedProxysForwardedHostIsTheServersName() {
    Perimeter p = Perimeter.of("", "", "10.0.0.2", "");
    var proxied =
        new Perimeter.Request(
            "10.0.0.2",
            "backend:8081",
            "https://notify.example.com",
            List.of(),
            List.of(),
            List.of("notify.example.com"));
    assertTrue(p.check(proxied).isEmpty());
    var direct =
        new Perimeter.Request(
            "192.0.2.1",
            "backend:8081",
            "https://notify.example.com",
            List.of(),
            List.of(),
            List.of("notify.example.com"));
    assertEquals(Optional.of(Defences.Defence.ORIGIN), p.check(direct));
  }
}
