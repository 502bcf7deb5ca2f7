package org.waterspout.history;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;

/**
 * An addressed user ({@code U}) or group ({@code G}) of a notification that wants a receipt. A user
 * sees it by acknowledging it; a group, when any member does.
 */
@Entity
@Table(name = "ws_receipt_target")
@IdClass(ReceiptTarget.Key.class)
public class ReceiptTarget {

  static final String USER = "U";
  static final String GROUP = "G";

  /** The primary key. A class, not a record: JPA providers set its fields. */
  public static class Key implements Serializable {
    private static final long serialVersionUID = 1L;

    String notificationId;
    String kind;
    String name;

    public Key() {}

    Key(String notificationId, String kind, String name) {
      this.notificationId = notificationId;
      this.kind = kind;
      this.name = name;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k
          && Objects.equals(notificationId, k.notificationId)
          && Objects.equals(kind, k.kind)
          && Objects.equals(name, k.name);
    }

    @Override
    public int hashCode() {
      return Objects.hash(notificationId, kind, name);
    }
  }

  @Id
  @Column(name = "notification_id")
  private String notificationId;

  @Id private String kind;

  @Id private String name;

  @Column(name = "seen_at", nullable = false)
  private long seenAt;

  protected ReceiptTarget() {}

  ReceiptTarget(String notificationId, String kind, String name) {
    this.notificationId = notificationId;
    this.kind = kind;
    this.name = name;
  }

  String kind() {
    return kind;
  }

  String name() {
    return name;
  }

  boolean seen() {
    return seenAt != 0;
  }
}
