package org.waterspout.history;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;

/** A user's membership of a group, as the user's last token named it. */
@Entity
@Table(name = "ws_membership")
@IdClass(Membership.Key.class)
public class Membership {

  /** The primary key: group and user. A class, not a record: JPA providers set its fields. */
  public static class Key implements Serializable {
    private static final long serialVersionUID = 1L;

    String group;
    String user;

    public Key() {}

    Key(String group, String user) {
      this.group = group;
      this.user = user;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Objects.equals(group, k.group) && Objects.equals(user, k.user);
    }

    @Override
    public int hashCode() {
      return Objects.hash(group, user);
    }
  }

  @Id
  @Column(name = "group_name")
  private String group;

  @Id
  @Column(name = "user_id")
  private String user;

  @Column(name = "seen_at", nullable = false)
  private long seenAt;

  protected Membership() {}

  Membership(String group, String user, long seenAt) {
    this.group = group;
    this.user = user;
    this.seenAt = seenAt;
  }

  String group() {
    return group;
  }

  long seenAt() {
    return seenAt;
  }

  void seen(long at) {
    seenAt = at;
  }
}
