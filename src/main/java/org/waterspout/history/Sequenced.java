package org.waterspout.history;

/**
 * A notification's place in one user's sequence.
 *
 * @param user the user
 * @param seq its sequence number for that user
 */
public record Sequenced(String user, long seq) {}
