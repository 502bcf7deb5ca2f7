package org.waterspout.it.support;

import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import java.util.List;

/** A message of the JMS contract, built field by field so that tests read as data. */
public final class MessageBody {

  private final JsonObjectBuilder json = Json.createObjectBuilder();
  private final JsonObjectBuilder to = Json.createObjectBuilder();

  public static MessageBody ofType(String type) {
    MessageBody message = new MessageBody();
    message.json.add("type", type);
    return message;
  }

  public MessageBody id(String id) {
    json.add("id", id);
    return this;
  }

  public MessageBody users(String... users) {
    to.add("users", Json.createArrayBuilder(List.of(users)));
    return this;
  }

  public MessageBody groups(String... groups) {
    to.add("groups", Json.createArrayBuilder(List.of(groups)));
    return this;
  }

  public MessageBody field(String name, String value) {
    json.add(name, value);
    return this;
  }

  public MessageBody data(String name, int value) {
    json.add("data", Json.createObjectBuilder().add(name, value));
    return this;
  }

  public MessageBody data(String name, String value) {
    json.add("data", Json.createObjectBuilder().add(name, value));
    return this;
  }

  public String json() {
    return json.add("to", to).build().toString();
  }
}
