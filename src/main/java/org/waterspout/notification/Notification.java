package org.waterspout.notification;

import jakarta.json.JsonObject;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One validated event from the order system, ready to be pushed.
 *
 * @param id the producer's id, or the JMSMessageID when it gave none
 * @param type what happened, e.g. {@code work-order.routed}
 * @param to who should see it
 * @param title short headline, if any
 * @param body longer text, if any
 * @param data free-form JSON object passed through to the browser (empty when absent)
 * @param occurredAt when it happened in the order system
 */
public record Notification(
    String id,
    String type,
    Recipients to,
    Optional<String> title,
    Optional<String> body,
    JsonObject data,
    Instant occurredAt) {

  public Notification {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(occurredAt, "occurredAt");
  }
}
