package org.waterspout.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TicketsTest {

  private static final byte[] SECRET =
      "unit-test-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8);

  private final Instant now = Instant.parse("2026-12-03T10:00:00Z");
  private final Identity pro =
      new Identity("pro-42", Set.of("support", "north"), now.plus(Duration.ofHours(1)));
  private final Tickets tickets = new Tickets(SECRET);

  @Test
  void aTicketGivesItsTokensIdentityOnce() {
    String ticket = tickets.issue(pro, now);
    assertEquals(Optional.of(pro), tickets.take(ticket, now.plusSeconds(5)));
    assertEquals(Optional.empty(), tickets.take(ticket, now.plusSeconds(6)));
  }

  @Test
  void anInstanceSharingTheSecretTakesATicketAnotherIssued() {
    String ticket = new Tickets(SECRET).issue(pro, now);
    assertEquals(Optional.of(pro), tickets.take(ticket, now));
  }

  @Test
  void anExpiredTicketIsRefused() {
    String ticket = tickets.issue(pro, now);
    assertEquals(Optional.empty(), tickets.take(ticket, now.plus(Tickets.LIFETIME).plusSeconds(1)));
  }

  @Test
  void aTicketOfAnExpiredTokenIsRefused() {
    Identity expiring = new Identity("pro-42", Set.of(), now.plusSeconds(10));
    String ticket = tickets.issue(expiring, now);
    assertEquals(Optional.empty(), tickets.take(ticket, now.plusSeconds(10)));
  }

  @Test
  void aTicketOfAnotherSecretOrChangedIsRefused() {
    String other =
        new Tickets("another-secret-0123456789abcdef!!".getBytes(StandardCharsets.UTF_8))
            .issue(pro, now);
    assertEquals(Optional.empty(), tickets.take(other, now));
    String ticket = tickets.issue(pro, now);
    String body = ticket.substring(0, ticket.indexOf('.'));
    String json = new String(Base64.getUrlDecoder().decode(body), StandardCharsets.UTF_8);
    String admin =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                json.replace("\"pro-42\"", "\"admin\"").getBytes(StandardCharsets.UTF_8));
    assertEquals(Optional.empty(), tickets.take(admin + ticket.substring(body.length()), now));
    assertEquals(Optional.of(pro), tickets.take(ticket, now));
  }

  @Test
  void garbageIsRefusedWithoutAnError() {
    for (String garbage :
        new String[] {"", ".", "a.b", "a.b.c", "!!!.???", "x".repeat(10_000), "eyJ9.eyJ9"}) {
      assertEquals(Optional.empty(), tickets.take(garbage, now), garbage);
    }
    assertEquals(Optional.empty(), tickets.take(null, now));
  }

  @Test
  void aTicketIsNotAToken() {
    String ticket = tickets.issue(pro, now);
    TokenVerifier verifier = new TokenVerifier(SECRET);
    assertThrows(InvalidTokenException.class, () -> verifier.verify(ticket));
  }

  @Test
  void takenTicketsAreForgottenOnceExpired() {
    tickets.take(tickets.issue(pro, now), now);
    assertEquals(1, tickets.remembered());
    tickets.take(tickets.issue(pro, now.plusSeconds(120)), now.plusSeconds(120));
    assertEquals(1, tickets.remembered());
    assertTrue(tickets.take(tickets.issue(pro, now), now.plusSeconds(121)).isEmpty());
  }
}
