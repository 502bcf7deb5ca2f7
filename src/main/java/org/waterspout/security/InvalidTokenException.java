package org.waterspout.security;

/** A token that does not prove who the client is; the message is safe to show to the client. */
public class InvalidTokenException extends Exception {

  private static final long serialVersionUID = 1L;

  public InvalidTokenException(String reason) {
    super(reason);
  }
}
