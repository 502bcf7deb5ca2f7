package org.waterspout.history;

/**
 * Where a user's sequence stands.
 *
 * @param latest the last sequence number given out (0: none yet)
 * @param acked the highest one the user acknowledged
 */
public record Cursor(long latest, long acked) {}
