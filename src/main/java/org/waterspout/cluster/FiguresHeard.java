package org.waterspout.cluster;

/**
 * Another instance's figures, as it published them on the fan-out topic (the admin page's cluster
 * view reads them).
 *
 * @param text the message's body
 */
public record FiguresHeard(String text) {}
