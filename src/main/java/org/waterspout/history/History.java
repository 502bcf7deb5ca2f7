package org.waterspout.history;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.waterspout.config.Settings;
import org.waterspout.notification.Notification;

/**
 * The durable history: every accepted notification once, and for each user a strictly increasing
 * sequence of the notifications that are for them. A group's notification joins the sequence of
 * every user whose last token named the group.
 *
 * <p>A notification is stored in the transaction that takes its message in, and numbered just
 * after, by {@link #sequencePending}, in a short transaction of its own that numbers many at once.
 * Sequence numbers have no holes: the row that hands them out stays locked until that transaction
 * commits, so a user's notifications commit in sequence order, and a reader that sees number n has
 * seen every number below it. Numbering outside the intake transaction keeps that lock out of the
 * two-phase commit of the broker and the database, which made one user's (or one group's) messages
 * wait for each other's whole commit.
 */
@ApplicationScoped
public class History {

  @PersistenceContext(unitName = "waterspout-history")
  EntityManager em;

  @Inject Settings settings;
  @Inject Receipts receipts;

  /**
   * Stores a notification in the caller's transaction (the JMS receive), to be numbered in each
   * recipient's sequence by {@link #sequencePending} once it commits. False when its id is already
   * stored: a duplicate, not pushed again. Locks no user's sequence: a user's messages are taken in
   * as fast as anyone's.
   */
  @Transactional(TxType.MANDATORY)
  public boolean store(
      Notification notification, String frame, long expiresAt, Optional<ReplyAddress> reply) {
    if (em.find(StoredNotification.class, notification.id()) != null) {
      return false;
    }
    long now = System.currentTimeMillis();
    StoredNotification row = new StoredNotification(notification.id(), frame, now, expiresAt);
    reply.ifPresent(r -> row.wantReceipt(r, now + settings.history().unseenAfter().toMillis()));
    em.persist(row);
    em.createNativeQuery(
            "INSERT INTO ws_pending (notification_id, user_names, group_names) VALUES (?, ?, ?)")
        .setParameter(1, notification.id())
        .setParameter(2, Lines.join(new TreeSet<>(notification.to().users())))
        .setParameter(3, Lines.join(new TreeSet<>(notification.to().groups())))
        .executeUpdate();
    reply.ifPresent(r -> receipts.track(notification));
    return true;
  }

  /**
   * Numbers stored notifications in their recipients' sequences, in the order they were taken in:
   * up to {@code maxNotifications} of them, and no more once {@code maxPlaces} places are given out
   * or {@code maxChars} characters of frames are read (but at least one notification); pending rows
   * whose id is in {@code skip} are left alone. Returns them, in that order, to be pushed after
   * this transaction commits; empty when none is waiting.
   *
   * <p>The row that hands out a user's numbers stays locked until commit, so numbers have no holes
   * and commit in order; users are locked in sorted order, so two sequencers (two instances) never
   * deadlock, and each pending row is numbered once: whoever deletes it numbers it.
   */
  @Transactional(TxType.REQUIRES_NEW)
  public List<Stored> sequencePending(
      int maxNotifications, int maxPlaces, long maxChars, Collection<Long> skip) {
    @SuppressWarnings("unchecked")
    List<Object[]> pending =
        pendingQuery("id, notification_id, user_names, group_names", skip)
            .setMaxResults(maxNotifications)
            .getResultList();
    List<StoredNotification> claimed = new ArrayList<>();
    List<Map<String, List<String>>> recipients = new ArrayList<>();
    Set<String> users = new TreeSet<>();
    int places = 0;
    long chars = 0;
    for (Object[] row : pending) {
      if (!claimed.isEmpty() && (places >= maxPlaces || chars >= maxChars)) {
        break;
      }
      int deleted =
          em.createNativeQuery("DELETE FROM ws_pending WHERE id = ?")
              .setParameter(1, ((Number) row[0]).longValue())
              .executeUpdate();
      StoredNotification notification =
          deleted == 0 ? null : em.find(StoredNotification.class, (String) row[1]);
      if (notification == null) {
        // Another instance numbers it; or retention dropped it before anyone did.
        continue;
      }
      Map<String, List<String>> to =
          recipients(Lines.split((String) row[2]), Lines.split((String) row[3]));
      claimed.add(notification);
      recipients.add(to);
      users.addAll(to.keySet());
      places += to.size();
      chars += notification.frame().length();
    }
    if (claimed.isEmpty()) {
      return List.of();
    }
    createInboxes(users);
    // Locked in one order (sorted by user) by every transaction, so two never deadlock.
    Map<String, Inbox> inboxes = new HashMap<>();
    for (String user : users) {
      inboxes.put(user, em.find(Inbox.class, user, LockModeType.PESSIMISTIC_WRITE));
    }
    List<Stored> numbered = new ArrayList<>(claimed.size());
    for (int i = 0; i < claimed.size(); i++) {
      StoredNotification notification = claimed.get(i);
      List<Sequenced> sequence = new ArrayList<>();
      for (Map.Entry<String, List<String>> user : recipients.get(i).entrySet()) {
        long seq = inboxes.get(user.getKey()).next();
        em.persist(
            new DeliveryRow(
                user.getKey(),
                seq,
                notification.id(),
                notification.acceptedAt(),
                user.getValue(),
                notification.wantsReceipt()));
        sequence.add(new Sequenced(user.getKey(), seq));
      }
      numbered.add(
          new Stored(notification.id(), notification.frame(), notification.expiresAt(), sequence));
    }
    return numbered;
  }

  /** The id of the first pending notification not in {@code skip}: the next to be numbered. */
  public Optional<Long> firstPending(Collection<Long> skip) {
    List<?> first = pendingQuery("id", skip).setMaxResults(1).getResultList();
    return first.stream().findFirst().map(id -> ((Number) id).longValue());
  }

  private jakarta.persistence.Query pendingQuery(String columns, Collection<Long> skip) {
    StringBuilder sql = new StringBuilder("SELECT ").append(columns).append(" FROM ws_pending");
    if (!skip.isEmpty()) {
      sql.append(" WHERE id NOT IN (")
          .append(String.join(", ", java.util.Collections.nCopies(skip.size(), "?")))
          .append(')');
    }
    jakarta.persistence.Query query = em.createNativeQuery(sql.append(" ORDER BY id").toString());
    int position = 1;
    for (Long id : skip) {
      query.setParameter(position++, id);
    }
    return query;
  }

  /**
   * Creates the inbox rows of those users who have none yet. Under the one ws_lock row, taken
   * before any inbox row is locked: a second transaction waits, then finds the rows committed,
   * instead of failing on a duplicate key (which would roll back a message, or a sign-in).
   */
  private void createInboxes(Set<String> users) {
    if (users.isEmpty()) {
      return;
    }
    if (existing(users).size() == users.size()) {
      return;
    }
    em.createNativeQuery("SELECT id FROM ws_lock WHERE id = 1 FOR UPDATE").getResultList();
    Set<String> missing = new TreeSet<>(users);
    missing.removeAll(existing(users));
    for (String user : missing) {
      em.persist(new Inbox(user));
    }
    em.flush();
  }

  /** Those of {@code users} who have an inbox row. */
  private Set<String> existing(Set<String> users) {
    Set<String> existing = new HashSet<>();
    for (List<String> chunk : chunks(users)) {
      existing.addAll(
          em.createQuery("SELECT i.user FROM Inbox i WHERE i.user IN :users", String.class)
              .setParameter("users", chunk)
              .getResultList());
    }
    return existing;
  }

  /** Each recipient user, sorted, with the addressed groups it gets the notification through. */
  private Map<String, List<String>> recipients(List<String> addressedUsers, List<String> groups) {
    Map<String, List<String>> users = new TreeMap<>();
    for (String user : addressedUsers) {
      users.put(user, new ArrayList<>());
    }
    for (List<String> chunk : chunks(groups)) {
      List<Object[]> members =
          em.createQuery(
                  "SELECT m.user, m.group FROM Membership m WHERE m.group IN :groups",
                  Object[].class)
              .setParameter("groups", chunk)
              .getResultList();
      for (Object[] member : members) {
        users.computeIfAbsent((String) member[0], u -> new ArrayList<>()).add((String) member[1]);
      }
    }
    return users;
  }

  /**
   * The names in lists of at most {@link #IN_LIST_MAX}: an IN list of a bind parameter each has a
   * limit (PostgreSQL's protocol takes at most 32767 parameters in one statement).
   */
  static List<List<String>> chunks(Collection<String> names) {
    List<String> all = new ArrayList<>(names);
    List<List<String>> chunks = new ArrayList<>();
    for (int from = 0; from < all.size(); from += IN_LIST_MAX) {
      chunks.add(all.subList(from, Math.min(all.size(), from + IN_LIST_MAX)));
    }
    return chunks;
  }

  static final int IN_LIST_MAX = 1000;

  /**
   * Up to {@code limit} of the user's notifications after {@code seq}, in order, and no more than
   * {@link #PAGE_CHARS} characters of frames (but at least one notification), with the user's last
   * sequence number as it was just before they were read.
   */
  public Page after(String user, long seq, int limit) {
    // The inbox first: every number up to its last_seq is committed, so none of them can be missing
    // from the rows read next unless retention dropped it.
    Inbox inbox = em.find(Inbox.class, user);
    long latest = inbox == null ? 0 : inbox.lastSeq();
    // The sizes first, so that a page of large notifications is cut short before it is read.
    List<Object[]> sizes =
        em.createQuery(
                "SELECT d.seq, LENGTH(n.frame) FROM DeliveryRow d, StoredNotification n"
                    + " WHERE n.id = d.notificationId AND d.user = :user AND d.seq > :after"
                    + " ORDER BY d.seq",
                Object[].class)
            .setParameter("user", user)
            .setParameter("after", seq)
            .setMaxResults(limit)
            .getResultList();
    int count = 0;
    long chars = 0;
    long upTo = seq;
    for (Object[] size : sizes) {
      chars += ((Number) size[1]).longValue();
      if (count > 0 && chars > PAGE_CHARS) {
        break;
      }
      count++;
      upTo = ((Number) size[0]).longValue();
    }
    if (count == 0) {
      return new Page(List.of(), latest);
    }
    List<Object[]> rows =
        em.createQuery(
                "SELECT d.seq, n.frame, n.expiresAt FROM DeliveryRow d, StoredNotification n"
                    + " WHERE n.id = d.notificationId AND d.user = :user AND d.seq > :after"
                    + " AND d.seq <= :upTo ORDER BY d.seq",
                Object[].class)
            .setParameter("user", user)
            .setParameter("after", seq)
            .setParameter("upTo", upTo)
            .getResultList();
    List<Page.Entry> entries = new ArrayList<>(rows.size());
    for (Object[] row : rows) {
      entries.add(
          new Page.Entry(
              ((Number) row[0]).longValue(), (String) row[1], ((Number) row[2]).longValue()));
    }
    return new Page(entries, latest);
  }

  /** The user's sequence as it stands: last number given out and highest acknowledged. */
  public Cursor cursor(String user) {
    Inbox inbox = em.find(Inbox.class, user);
    return inbox == null ? new Cursor(0, 0) : new Cursor(inbox.lastSeq(), inbox.ackedSeq());
  }

  /**
   * Records the groups a user's token names, so that later notifications for those groups join the
   * user's sequence; returns the user's cursor.
   */
  @Transactional
  public Cursor joined(String user, Set<String> groups) {
    long now = System.currentTimeMillis();
    createInboxes(Set.of(user));
    Inbox inbox = em.find(Inbox.class, user);
    List<Membership> current =
        em.createQuery("SELECT m FROM Membership m WHERE m.user = :user", Membership.class)
            .setParameter("user", user)
            .getResultList();
    Set<String> missing = new HashSet<>(groups);
    for (Membership membership : current) {
      if (!missing.remove(membership.group())) {
        em.remove(membership);
      } else if (now - membership.seenAt() > SEEN_REFRESH_MILLIS) {
        membership.seen(now);
      }
    }
    for (String group : missing) {
      em.persist(new Membership(group, user, now));
    }
    return new Cursor(inbox.lastSeq(), inbox.ackedSeq());
  }

  /**
   * Marks the user's notifications up to {@code seq} as seen (never beyond the last one given out,
   * never backwards), and sends the receipts this completes. Returns the user's cursor.
   */
  @Transactional
  public Cursor ack(String user, long seq) {
    Inbox inbox = em.find(Inbox.class, user, LockModeType.PESSIMISTIC_WRITE);
    if (inbox == null) {
      return new Cursor(0, 0);
    }
    long before = inbox.ackedSeq();
    inbox.ack(seq);
    if (inbox.ackedSeq() > before) {
      receipts.seen(user, before, inbox.ackedSeq());
    }
    return new Cursor(inbox.lastSeq(), inbox.ackedSeq());
  }

  /**
   * The most characters of frames one page of {@link #after} carries: 100 notifications of up to a
   * megabyte each would otherwise be read into memory at once, for each session catching up.
   */
  static final long PAGE_CHARS = 1L << 20;

  /** How stale a membership's seen_at may get before a sign-in refreshes it (retention uses it). */
  private static final long SEEN_REFRESH_MILLIS = 60 * 60 * 1000L;
}
