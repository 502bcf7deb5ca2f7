package org.waterspout.history;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the history: pages of a stream, and where streams stand for users signing in. Each read is
 * a short transaction of its own: outside one, Payara binds a non-transactional entity manager to
 * the calling component's invocation, and on WaterSpout's long-lived worker threads (which have no
 * invocation per task) another task's clean-up closed it under this one.
 */
@ApplicationScoped
public class Reading {

  /**
   * The most characters of frames one page carries: 100 notifications of up to a megabyte each
   * would otherwise be read into memory at once, for each session catching up.
   */
  static final long PAGE_CHARS = 1L << 20;

  @PersistenceContext(unitName = "waterspout-history")
  EntityManager em;

  @Inject StreamRows streams;

  /**
   * Up to {@code limit} of the stream's notifications after {@code seq}, in order, and no more than
   * {@link #PAGE_CHARS} characters of frames (but at least one), with the stream's last number as
   * it was just before they were read. Entries that are also in one of {@code elsewhere} (the
   * reader's other streams) come without their frame.
   */
  @Transactional
  public Page after(String stream, long seq, int limit, List<String> elsewhere) {
    // The counter first: every number up to it is committed, so none of them can be missing from
    // the rows read next unless retention dropped it.
    long latest = streams.latest(List.of(stream)).getOrDefault(stream, 0L);
    String other =
        elsewhere.isEmpty()
            ? "0"
            : "CASE WHEN EXISTS (SELECT 1 FROM ws_stream_entry o WHERE o.notification_id ="
                + " e.notification_id AND o.stream IN ("
                + String.join(", ", java.util.Collections.nCopies(elsewhere.size(), "?"))
                + ")) THEN 1 ELSE 0 END";
    // The sizes first, so that a page of large notifications is cut short before it is read.
    @SuppressWarnings("unchecked")
    List<Object[]> sizes =
        // The IN list of "other" comes first, in the select list, before the WHERE clause's.
        StreamRows.bind(
                em,
                "SELECT e.seq, LENGTH(n.frame), "
                    + other
                    + " FROM ws_stream_entry e JOIN ws_notification n ON n.id = e.notification_id"
                    + " WHERE e.stream = ? AND e.seq > ? ORDER BY e.seq",
                elsewhere,
                stream,
                seq)
            .setMaxResults(limit)
            .getResultList();
    int count = 0;
    long chars = 0;
    long upTo = seq;
    boolean anyFrame = false;
    for (Object[] size : sizes) {
      boolean skipped = ((Number) size[2]).intValue() == 1;
      chars += skipped ? 0 : ((Number) size[1]).longValue();
      if (count > 0 && chars > PAGE_CHARS) {
        break;
      }
      count++;
      anyFrame |= !skipped;
      upTo = ((Number) size[0]).longValue();
    }
    if (count == 0) {
      return new Page(List.of(), latest);
    }
    List<Page.Entry> entries = new ArrayList<>(count);
    if (!anyFrame) {
      for (Object[] size : sizes.subList(0, count)) {
        entries.add(new Page.Entry(((Number) size[0]).longValue(), null, 0));
      }
      return new Page(entries, latest);
    }
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        StreamRows.bind(
                em,
                "SELECT e.seq, n.frame, n.expires_at, "
                    + other
                    + " FROM ws_stream_entry e JOIN ws_notification n ON n.id = e.notification_id"
                    + " WHERE e.stream = ? AND e.seq > ? AND e.seq <= ? ORDER BY e.seq",
                elsewhere,
                stream,
                seq,
                upTo)
            .getResultList();
    for (Object[] row : rows) {
      boolean skipped = ((Number) row[3]).intValue() == 1;
      entries.add(
          new Page.Entry(
              ((Number) row[0]).longValue(),
              skipped ? null : (String) row[1],
              ((Number) row[2]).longValue()));
    }
    return new Page(entries, latest);
  }

  /**
   * Where the streams of users signing in stand: each stream's last number, and how far each user
   * acknowledged the streams it has acknowledged. Two queries for any number of users: sign-ins are
   * read in batches ({@link SignIns}).
   *
   * @param streams per user, the streams it follows
   */
  @Transactional
  public SignInCursors cursors(Map<String, ? extends Collection<String>> streams) {
    Set<String> all = new java.util.HashSet<>();
    streams.values().forEach(all::addAll);
    Map<String, Long> latest = this.streams.latest(all);
    Map<String, Map<String, Long>> acked = new HashMap<>();
    for (List<String> users : StreamRows.chunks(streams.keySet())) {
      @SuppressWarnings("unchecked")
      List<Object[]> rows =
          StreamRows.in(
                  em,
                  "SELECT user_id, stream, acked_seq FROM ws_stream_ack WHERE user_id IN (%s)",
                  users)
              .getResultList();
      for (Object[] row : rows) {
        acked
            .computeIfAbsent((String) row[0], u -> new HashMap<>())
            .put((String) row[1], ((Number) row[2]).longValue());
      }
    }
    return new SignInCursors(latest, acked);
  }
}
