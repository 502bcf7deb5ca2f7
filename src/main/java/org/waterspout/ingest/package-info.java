/**
 * Intake of the order system's JMS messages: the message-driven bean on the input queue, which
 * validates each message and either announces it as accepted (a CDI event) or moves it to the
 * rejected queue with the reason, so one bad message never blocks the ones behind it.
 */
package org.waterspout.ingest;
