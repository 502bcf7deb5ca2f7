package org.waterspout.history;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/** A notification in one user's sequence. */
@Entity
@Table(name = "ws_delivery")
@IdClass(DeliveryRow.Key.class)
public class DeliveryRow {

  /**
   * The primary key: user and sequence number. A class, not a record: JPA providers set its fields.
   */
  public static class Key implements Serializable {
    private static final long serialVersionUID = 1L;

    String user;
    long seq;

    public Key() {}

    Key(String user, long seq) {
      this.user = user;
      this.seq = seq;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Objects.equals(user, k.user) && seq == k.seq;
    }

    @Override
    public int hashCode() {
      return Objects.hash(user, seq);
    }
  }

  @Id
  @Column(name = "user_id")
  private String user;

  @Id private long seq;

  @Column(name = "notification_id", nullable = false)
  private String notificationId;

  @Column(name = "accepted_at", nullable = false)
  private long acceptedAt;

  @Column(name = "via_groups", nullable = false, length = 1_048_576)
  private String viaGroups;

  @Column(name = "receipt_pending", nullable = false)
  private boolean receiptPending;

  protected DeliveryRow() {}

  DeliveryRow(
      String user,
      long seq,
      String notificationId,
      long acceptedAt,
      List<String> viaGroups,
      boolean receiptPending) {
    this.user = user;
    this.seq = seq;
    this.notificationId = notificationId;
    this.acceptedAt = acceptedAt;
    this.viaGroups = Lines.join(viaGroups);
    this.receiptPending = receiptPending;
  }

  String notificationId() {
    return notificationId;
  }

  List<String> viaGroups() {
    return Lines.split(viaGroups);
  }
}
