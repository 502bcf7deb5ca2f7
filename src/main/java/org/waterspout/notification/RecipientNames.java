package org.waterspout.notification;

/**
 * The one rule for user ids and group names, shared by messages and tokens so that a name a token
 * can carry is always a name a message can address.
 */
public final class RecipientNames {

  private RecipientNames() {}

  /** True for 1 to 200 characters of well-formed Unicode, no white space, no control characters. */
  public static boolean isValid(String name) {
    if (name == null
        || name.isEmpty()
        || name.length() > Limits.MAX_RECIPIENT_CHARS
        || !Unicode.isWellFormed(name)) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c)) {
        return false;
      }
    }
    return true;
  }
}
