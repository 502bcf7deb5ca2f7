package org.waterspout.history;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One user's sequence: the last number given out, and the highest one acknowledged. */
@Entity
@Table(name = "ws_inbox")
public class Inbox {

  @Id
  @Column(name = "user_id")
  private String user;

  @Column(name = "last_seq", nullable = false)
  private long lastSeq;

  @Column(name = "acked_seq", nullable = false)
  private long ackedSeq;

  protected Inbox() {}

  Inbox(String user) {
    this.user = user;
  }

  /** The next sequence number; the caller holds this row's lock until commit. */
  long next() {
    return ++lastSeq;
  }

  /** Marks everything up to {@code seq} (at most the last one given out) as seen. */
  void ack(long seq) {
    ackedSeq = Math.max(ackedSeq, Math.min(seq, lastSeq));
  }

  long lastSeq() {
    return lastSeq;
  }

  long ackedSeq() {
    return ackedSeq;
  }
}
