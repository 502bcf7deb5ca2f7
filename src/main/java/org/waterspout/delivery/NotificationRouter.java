package org.waterspout.delivery;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.waterspout.history.NotificationNumbered;
import org.waterspout.history.Numbered;
import org.waterspout.history.Place;
import org.waterspout.history.Streams;
import org.waterspout.notification.NotificationAccepted;
import org.waterspout.timing.Workers;

/**
 * Hands each accepted notification to every session it is for. Runs only after the intake
 * transaction commits, so a message that is rolled back and redelivered is pushed once.
 */
@ApplicationScoped
public class NotificationRouter {

  private static final Logger LOG = Logger.getLogger(NotificationRouter.class.getName());

  @Inject SessionRegistry registry;
  @Inject DeliveryStats stats;
  @Inject Workers workers;

  /** Members of a group above which its notification is sent over all the cores' lanes. */
  static final int SPREAD_ABOVE = 1000;

  /**
   * History on: each stream's followers get the notification framed once with its number in that
   * stream. A session that gets it in another of its streams (its user was addressed too, or
   * another of its groups that sorts first) is told to pass over the number instead, so it sees the
   * notification once.
   */
  void route(@Observes(during = TransactionPhase.AFTER_SUCCESS) NotificationNumbered event) {
    stats.accepted();
    Numbered numbered = event.numbered();
    TreeSet<String> groups = new TreeSet<>();
    for (Place place : numbered.places()) {
      if (Streams.isGroup(place.stream())) {
        groups.add(Streams.owner(place.stream()));
      }
    }
    for (Place place : numbered.places()) {
      String owner = Streams.owner(place.stream());
      boolean own = Streams.isUser(place.stream());
      Collection<ClientSession> sessions =
          own ? registry.sessionsOf(owner) : registry.sessionsInGroup(owner);
      if (sessions.isEmpty()) {
        continue;
      }
      Outgoing frame =
          Outgoing.numbered(
              new StreamFrames(place.stream()).numbered(numbered.frame(), place.seq()),
              place.stream(),
              event.acceptedAt(),
              place.seq(),
              numbered.expiresAt());
      if (own) {
        deliver(sessions, frame);
      } else {
        deliverToGroup(sessions, owner, frame, numbered.users(), groups);
      }
    }
    if (LOG.isLoggable(Level.FINE)) {
      LOG.fine(
          "Routed notification " + numbered.id() + " to " + numbered.places().size() + " streams");
    }
  }

  private void deliverToGroup(
      Collection<ClientSession> sessions,
      String group,
      Outgoing frame,
      Set<String> users,
      TreeSet<String> groups) {
    Set<String> before = groups.headSet(group);
    Outgoing skip = Outgoing.skip(frame.stream(), frame.seq());
    boolean plain = users.isEmpty() && before.isEmpty();
    int lanes = workers == null || sessions.size() <= SPREAD_ABOVE ? 1 : workers.lanes();
    List<List<ClientSession>> byLane = new ArrayList<>(lanes);
    for (int i = 0; i < lanes; i++) {
      byLane.add(new ArrayList<>(sessions.size() / lanes + 16));
    }
    for (ClientSession session : sessions) {
      // A session keeps its lane, so one session's frames of a stream are sent in order.
      byLane.get(Math.floorMod(session.id().hashCode(), lanes)).add(session);
    }
    for (int i = 0; i < lanes; i++) {
      List<ClientSession> lane = byLane.get(i);
      Runnable send =
          () -> {
            for (ClientSession session : lane) {
              boolean elsewhere =
                  !plain
                      && (users.contains(session.user())
                          || before.stream().anyMatch(g -> session.groups().contains(g)));
              deliver(session, elsewhere ? skip : frame);
            }
          };
      if (lanes == 1) {
        send.run();
      } else {
        workers.inLane(i, send);
      }
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

  /** Hands {@code frame} to each session; returns how many took it. */
  public int deliver(Collection<ClientSession> sessions, Outgoing frame) {
    int reached = 0;
    for (ClientSession session : sessions) {
      if (deliver(session, frame)) {
        reached++;
      }
    }
    return reached;
  }

  private static boolean deliver(ClientSession session, Outgoing frame) {
    try {
      return session.deliver(frame);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (RuntimeException | Error e) {
      // One broken session must never stop delivery to the others.
      LOG.log(Level.WARNING, "Delivery to session " + session.id() + " failed", e);
      return false;
    }
  }
}
