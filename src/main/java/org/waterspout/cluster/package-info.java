/**
 * Several instances as one: the fan-out topic that carries each numbered notification from the
 * instance that numbered it to every other, which pushes it to its own sessions.
 */
package org.waterspout.cluster;
