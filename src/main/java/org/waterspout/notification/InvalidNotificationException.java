package org.waterspout.notification;

/** A message that breaks the JMS message contract; the message says which rule, for an admin. */
public class InvalidNotificationException extends Exception {

  private static final long serialVersionUID = 1L;

  public InvalidNotificationException(String reason) {
    super(reason);
  }
}
