package org.waterspout.cluster;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.waterspout.history.Numbered;
import org.waterspout.history.Place;
import org.waterspout.notification.Jsons;
import org.waterspout.notification.NotificationCodec;

/**
 * A numbered notification as it goes over the fan-out topic, as JSON: {@code {"v":1,"id":...,
 * "frame":...,"expiresAt":...,"users":[...],"places":[{"stream":...,"seq":...}],"receipt":...}}.
 */
final class FanoutFormat {

  /** The format's version: an instance drops (and logs) what it cannot read. */
  static final int VERSION = 1;

  private FanoutFormat() {}

  static String write(Numbered numbered) {
    JsonArrayBuilder users = Jsons.PROVIDER.createArrayBuilder();
    numbered.users().forEach(users::add);
    JsonArrayBuilder places = Jsons.PROVIDER.createArrayBuilder();
    for (Place place : numbered.places()) {
      places.add(
          Jsons.PROVIDER
              .createObjectBuilder()
              .add("stream", place.stream())
              .add("seq", place.seq()));
    }
    return NotificationCodec.write(
        Jsons.PROVIDER
            .createObjectBuilder()
            .add("v", VERSION)
            .add("id", numbered.id())
            .add("frame", numbered.frame())
            .add("expiresAt", numbered.expiresAt())
            .add("users", users)
            .add("places", places)
            .add("receipt", numbered.receipt())
            .build());
  }

  /** Reads what {@link #write} wrote; throws {@link IllegalArgumentException} for anything else. */
  static Numbered read(String text) {
    try (JsonReader reader = Jsons.PROVIDER.createReader(new StringReader(text))) {
      JsonObject json = reader.readObject();
      if (json.getInt("v", 0) != VERSION) {
        throw new IllegalArgumentException("not version " + VERSION + " of the fan-out format");
      }
      Set<String> users = new LinkedHashSet<>();
      for (JsonValue user : required(json, "users", JsonValue.ValueType.ARRAY).asJsonArray()) {
        users.add(string(user, "users"));
      }
      List<Place> places = new ArrayList<>();
      for (JsonValue value : required(json, "places", JsonValue.ValueType.ARRAY).asJsonArray()) {
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
          throw new IllegalArgumentException("not a fan-out message: a place is not an object");
        }
        JsonObject place = value.asJsonObject();
        places.add(new Place(text(place, "stream"), number(place, "seq")));
      }
      return new Numbered(
          text(json, "id"),
          text(json, "frame"),
          number(json, "expiresAt"),
          users,
          places,
          required(json, "receipt", null) == JsonValue.TRUE);
    } catch (JsonException | ClassCastException | ArithmeticException e) {
      throw new IllegalArgumentException("not a fan-out message: " + e.getMessage(), e);
    }
  }

  /** The member {@code name}, present and (unless {@code type} is null) of that type. */
  private static JsonValue required(JsonObject json, String name, JsonValue.ValueType type) {
    JsonValue value = json.get(name);
    boolean bool =
        value != null
            && (value.getValueType() == JsonValue.ValueType.TRUE
                || value.getValueType() == JsonValue.ValueType.FALSE);
    if (value == null || (type == null ? !bool : value.getValueType() != type)) {
      throw new IllegalArgumentException("not a fan-out message: no valid \"" + name + "\"");
    }
    return value;
  }

  private static String text(JsonObject json, String name) {
    return string(required(json, name, JsonValue.ValueType.STRING), name);
  }

  private static String string(JsonValue value, String name) {
    if (value.getValueType() != JsonValue.ValueType.STRING) {
      throw new IllegalArgumentException(
          "not a fan-out message: \"" + name + "\" holds a non-string");
    }
    return ((JsonString) value).getString();
  }

  private static long number(JsonObject json, String name) {
    return ((JsonNumber) required(json, name, JsonValue.ValueType.NUMBER)).longValueExact();
  }
}
