package org.waterspout.history;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Numbers stored notifications in their streams: one place per addressed user and one per addressed
 * group, whatever the number of the group's members. Runs in short transactions of its own after
 * the intake committed ({@link Sequencer}).
 */
@ApplicationScoped
public class Numbering {

  @PersistenceContext(unitName = "waterspout-history")
  EntityManager em;

  @Inject StreamRows streams;

  /**
   * Numbers pending notifications in the order they were taken in: up to {@code maxNotifications}
   * of them, and no more once {@code maxPlaces} places are given out or {@code maxChars} characters
   * of frames are read (but at least one); pending rows whose id is in {@code skip} are left alone.
   * Returns them, in that order, to be pushed after this transaction commits; empty when none is
   * waiting. Each pending row is numbered once: whoever deletes it numbers it, so several instances
   * may share the database.
   */
  @Transactional(TxType.REQUIRES_NEW)
  public List<Numbered> numberPending(
      int maxNotifications, int maxPlaces, long maxChars, Collection<Long> skip) {
    @SuppressWarnings("unchecked")
    List<Object[]> pending =
        pendingQuery("id, notification_id, user_names, group_names", skip)
            .setMaxResults(maxNotifications)
            .getResultList();
    List<NotificationRow> claimed = new ArrayList<>();
    List<List<String>> users = new ArrayList<>();
    List<List<String>> places = new ArrayList<>();
    Set<String> all = new TreeSet<>();
    int placeCount = 0;
    long chars = 0;
    for (Object[] row : pending) {
      if (!claimed.isEmpty() && (placeCount >= maxPlaces || chars >= maxChars)) {
        break;
      }
      int deleted =
          em.createNativeQuery("DELETE FROM ws_pending WHERE id = ?")
              .setParameter(1, ((Number) row[0]).longValue())
              .executeUpdate();
      NotificationRow notification =
          deleted == 0 ? null : em.find(NotificationRow.class, (String) row[1]);
      if (notification == null) {
        // Another instance numbers it; or retention dropped it before anyone did.
        continue;
      }
      // Only read: kept out of the persistence context, or every statement after this one would
      // first look for changes in all the rows found so far (EclipseLink's flush before a query:
      // a quarter of the intake's CPU at 200 a transaction).
      em.detach(notification);
      List<String> addressed = Lines.split((String) row[2]);
      List<String> to = Streams.of(addressed, Lines.split((String) row[3]));
      claimed.add(notification);
      users.add(addressed);
      places.add(to);
      all.addAll(to);
      placeCount += to.size();
      chars += notification.frame().length();
    }
    if (claimed.isEmpty()) {
      return List.of();
    }
    Map<String, Long> last = streams.lock(new TreeSet<>(all));
    List<Numbered> numbered = new ArrayList<>(claimed.size());
    for (int i = 0; i < claimed.size(); i++) {
      NotificationRow notification = claimed.get(i);
      List<Place> numbers = new ArrayList<>();
      for (String stream : places.get(i)) {
        long seq = last.merge(stream, 1L, Long::sum);
        em.createNativeQuery(
                "INSERT INTO ws_stream_entry (stream, seq, notification_id, accepted_at)"
                    + " VALUES (?, ?, ?, ?)")
            .setParameter(1, stream)
            .setParameter(2, seq)
            .setParameter(3, notification.id())
            .setParameter(4, notification.acceptedAt())
            .executeUpdate();
        numbers.add(new Place(stream, seq));
      }
      numbered.add(
          new Numbered(
              notification.id(),
              notification.frame(),
              notification.expiresAt(),
              Set.copyOf(users.get(i)),
              numbers,
              notification.receiptState() != NotificationRow.ReceiptState.NONE));
    }
    streams.update(last);
    return numbered;
  }

  /** The id of the first pending notification not in {@code skip}: the next to be numbered. */
  @Transactional
  public Optional<Long> firstPending(Collection<Long> skip) {
    List<?> first = pendingQuery("id", skip).setMaxResults(1).getResultList();
    return first.stream().findFirst().map(id -> ((Number) id).longValue());
  }

  private Query pendingQuery(String columns, Collection<Long> skip) {
    StringBuilder sql = new StringBuilder("SELECT ").append(columns).append(" FROM ws_pending");
    if (!skip.isEmpty()) {
      sql.append(" WHERE id NOT IN (")
          .append(String.join(", ", Collections.nCopies(skip.size(), "?")))
          .append(')');
    }
    Query query = em.createNativeQuery(sql.append(" ORDER BY id").toString());
    int position = 1;
    for (Long id : skip) {
      query.setParameter(position++, id);
    }
    return query;
  }
}
