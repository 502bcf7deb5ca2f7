package org.waterspout.delivery;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.waterspout.history.NotificationStored;
import org.waterspout.history.Sequenced;
import org.waterspout.history.Stored;
import org.waterspout.notification.NotificationAccepted;
import org.waterspout.notification.NotificationCodec;

/**
 * Hands each accepted notification to every session it is for. Runs only after the intake
 * transaction commits, so a message that is rolled back and redelivered is pushed once.
 */
@ApplicationScoped
public class NotificationRouter {

  private static final Logger LOG = Logger.getLogger(NotificationRouter.class.getName());

  @Inject SessionRegistry registry;
  @Inject DeliveryStats stats;

  /** History on: each recipient user's sessions get the frame with the user's sequence number. */
  void route(@Observes(during = TransactionPhase.AFTER_SUCCESS) NotificationStored event) {
    stats.accepted();
    Stored stored = event.stored();
    for (Sequenced place : stored.sequence()) {
      Set<ClientSession> sessions = registry.sessionsOf(place.user());
      if (!sessions.isEmpty()) {
        deliver(
            sessions,
            Outgoing.sequenced(
                NotificationCodec.withSeq(stored.frame(), place.seq()),
                event.acceptedAt(),
                place.seq(),
                stored.expiresAt()));
      }
    }
    if (LOG.isLoggable(Level.FINE)) {
      LOG.fine("Routed notification " + stored.id() + " to " + stored.sequence().size() + " users");
    }
  }

  /** History off: pushed live to the sessions of the addressed users and groups. */
  void route(@Observes(during = TransactionPhase.AFTER_SUCCESS) NotificationAccepted accepted) {
    stats.accepted();
    Outgoing frame = Outgoing.notification(accepted.frame(), accepted.acceptedAt());
    deliver(registry.sessionsFor(accepted.notification().to()), frame);
    if (LOG.isLoggable(Level.FINE)) {
      LOG.fine("Routed notification " + accepted.notification().id());
    }
  }

  /** Hands {@code frame} to each session's outbox; returns how many took it. */
  public int deliver(Collection<ClientSession> sessions, Outgoing frame) {
    int reached = 0;
    for (ClientSession session : sessions) {
      try {
        if (session.deliver(frame)) {
          reached++;
        }
      } catch (VirtualMachineError e) {
        throw e;
      } catch (RuntimeException | Error e) {
        // One broken session must never stop delivery to the others.
        LOG.log(Level.WARNING, "Delivery to session " + session.id() + " failed", e);
      }
    }
    return reached;
  }
}
