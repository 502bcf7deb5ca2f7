package org.waterspout.history;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Names of streams. A user's own notifications form the stream {@code user:<id>}; a group's form
 * {@code group:<name>}, numbered once for all its members. The names are what clients see in {@code
 * stream} and in {@code resume} and {@code ack} frames (a user's own stream is the one without a
 * name there: its numbers are {@code seq}).
 */
public final class Streams {

  private static final String USER = "user:";
  private static final String GROUP = "group:";

  private Streams() {}

  /** The stream of one user's own notifications. */
  public static String ofUser(String user) {
    return USER + user;
  }

  /** The stream of one group. */
  public static String ofGroup(String group) {
    return GROUP + group;
  }

  public static boolean isUser(String stream) {
    return stream.startsWith(USER);
  }

  public static boolean isGroup(String stream) {
    return stream.startsWith(GROUP);
  }

  /** The user or group a stream belongs to. */
  public static String owner(String stream) {
    return stream.substring(stream.indexOf(':') + 1);
  }

  /** The streams of a notification addressed to {@code users} and {@code groups}: users first. */
  public static List<String> of(Collection<String> users, Collection<String> groups) {
    List<String> streams = new ArrayList<>(users.size() + groups.size());
    users.forEach(user -> streams.add(ofUser(user)));
    groups.forEach(group -> streams.add(ofGroup(group)));
    return streams;
  }
}
