package org.waterspout.run;

/** A server or the broker could not be started; the message says why, with its log's tail. */
public final class StartFailed extends Exception {

  private static final long serialVersionUID = 1L;

  public StartFailed(String message) {
    super(message);
  }
}
