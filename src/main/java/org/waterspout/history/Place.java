package org.waterspout.history;

/**
 * A notification's place in one stream.
 *
 * @param stream the stream ({@link Streams})
 * @param seq its number in that stream
 */
public record Place(String stream, long seq) {}
