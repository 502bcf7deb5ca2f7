/**
 * Getting accepted notifications to the right open sessions of this instance: the session registry
 * (users and groups to sessions), per-session bounded outboxes with one asynchronous send in
 * flight, each session's place in its user's sequence ({@link
 * org.waterspout.delivery.SessionStream}: live and replayed notifications in order, each once), and
 * the router that observes {@code NotificationStored} (or, with the history off, {@code
 * NotificationAccepted}). Transport-neutral: the push component plugs WebSocket sessions in through
 * {@link org.waterspout.delivery.ClientSession}.
 */
package org.waterspout.delivery;
