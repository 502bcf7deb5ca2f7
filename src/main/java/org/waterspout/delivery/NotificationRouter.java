package org.waterspout.delivery;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.waterspout.notification.NotificationAccepted;

/**
 * Hands each accepted notification to the outbox of every session it is for. Runs only after the
 * intake transaction commits, so a message that is rolled back and redelivered is pushed once.
 */
@ApplicationScoped
public class NotificationRouter {

  private static final Logger LOG = Logger.getLogger(NotificationRouter.class.getName());

  @Inject SessionRegistry registry;

  void route(@Observes(during = TransactionPhase.AFTER_SUCCESS) NotificationAccepted accepted) {
    for (ClientSession session : registry.sessionsFor(accepted.notification().to())) {
      try {
        session.deliver(accepted.frame());
      } catch (VirtualMachineError e) {
        throw e;
      } catch (RuntimeException | Error e) {
        // One broken session must never stop delivery to the others.
        LOG.log(Level.WARNING, "Delivery to session " + session.id() + " failed", e);
      }
    }
    if (LOG.isLoggable(Level.FINE)) {
      LOG.fine("Routed notification " + accepted.notification().id());
    }
  }
}
