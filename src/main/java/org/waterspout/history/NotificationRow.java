package org.waterspout.history;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * An accepted notification, stored once under its id; see {@code db/waterspout/V1__history.sql}.
 */
@Entity
@Table(name = "ws_notification")
public class NotificationRow {

  /** Where its receipt stands. */
  public enum ReceiptState {
    /** The order system asked for none. */
    NONE,
    /** Waiting for every recipient to acknowledge it. */
    PENDING,
    /** Not every recipient acknowledged it in time; {@code unseen} was sent. */
    UNSEEN,
    /** Every recipient acknowledged it; {@code delivered} was sent. */
    DELIVERED,
    /**
     * Every recipient acknowledged it, and the broker did not take {@code delivered}: it is sent
     * again, at the due time, until the broker does (the column holds at most nine characters).
     */
    SEND_DLVD,
    /** Its time is up, and the broker did not take {@code unseen}: sent again likewise. */
    SEND_UNSN,
    /**
     * A state that a later version of WaterSpout wrote (a rolling upgrade, with instances of both
     * versions on one database): this version never writes it, and leaves the receipt to the
     * instances that know it. Every query of this version selects receipts by the states it knows.
     */
    LATER_VERSION;

    static ReceiptState of(String stored) {
      for (ReceiptState state : values()) {
        if (state != LATER_VERSION && state.name().equals(stored)) {
          return state;
        }
      }
      return LATER_VERSION;
    }
  }

  @Id private String id;

  @Column(nullable = false, length = 1_048_576)
  private String frame;

  @Column(name = "accepted_at", nullable = false)
  private long acceptedAt;

  @Column(name = "expires_at", nullable = false)
  private long expiresAt;

  @Column(name = "reply_kind")
  private String replyKind;

  @Column(name = "reply_name")
  private String replyName;

  @Column(name = "correlation_id")
  private String correlationId;

  @Column(name = "receipt_state", nullable = false)
  private String receiptState;

  @Column(name = "receipt_due", nullable = false)
  private long receiptDue;

  protected NotificationRow() {}

  NotificationRow(String id, String frame, long acceptedAt, long expiresAt) {
    this.id = id;
    this.frame = frame;
    this.acceptedAt = acceptedAt;
    this.expiresAt = expiresAt;
    this.receiptState = ReceiptState.NONE.name();
  }

  void wantReceipt(ReplyAddress reply, long due) {
    replyKind = reply.kind().name();
    replyName = reply.name();
    correlationId = reply.correlationId();
    receiptState = ReceiptState.PENDING.name();
    receiptDue = due;
  }

  void receipt(ReceiptState state) {
    receiptState = state.name();
  }

  /**
   * A receipt the broker did not take: {@code state} (SEND_...), tried again at {@code retryAt}.
   */
  void owe(ReceiptState state, long retryAt) {
    receiptState = state.name();
    receiptDue = retryAt;
  }

  public String id() {
    return id;
  }

  public String frame() {
    return frame;
  }

  public long acceptedAt() {
    return acceptedAt;
  }

  public long expiresAt() {
    return expiresAt;
  }

  boolean wantsReceipt() {
    return replyKind != null;
  }

  ReceiptState receiptState() {
    return ReceiptState.of(receiptState);
  }

  ReplyAddress replyAddress() {
    return new ReplyAddress(ReplyAddress.Kind.valueOf(replyKind), replyName, correlationId);
  }
}
