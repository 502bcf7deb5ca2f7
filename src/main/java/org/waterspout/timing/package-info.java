/**
 * One shared timer for every session ({@link org.waterspout.timing.Timers}): the authentication
 * timeout, the token's expiry, the heartbeat, and (for the history) the resume wait. A timer wheel
 * driven by one task of the managed scheduled executor, instead of scheduled tasks per session in
 * the executor's queue.
 */
package org.waterspout.timing;
