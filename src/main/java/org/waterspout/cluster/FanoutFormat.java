package org.waterspout.cluster;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
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
      for (String user :
          json.getJsonArray("users").getValuesAs(jakarta.json.JsonString::getString)) {
        users.add(user);
      }
      List<Place> places = new ArrayList<>();
      JsonArray array = json.getJsonArray("places");
      for (JsonObject place : array.getValuesAs(JsonObject.class)) {
        places.add(
            new Place(place.getString("stream"), place.getJsonNumber("seq").longValueExact()));
      }
      return new Numbered(
          json.getString("id"),
          json.getString("frame"),
          json.getJsonNumber("expiresAt").longValueExact(),
          users,
          places,
          json.getBoolean("receipt"));
    } catch (JsonException | ClassCastException | NullPointerException | ArithmeticException e) {
      throw new IllegalArgumentException("not a fan-out message: " + e.getMessage(), e);
    }
  }
}
