/**
 * The durable history (Jakarta Persistence on the datasource {@code jdbc/waterspout/history}): each
 * accepted notification once, stored in the intake transaction and idempotent on its id ({@link
 * org.waterspout.history.Intake}); numbered just after in its streams, a user's own and a group's,
 * each a strictly increasing sequence with no holes ({@link org.waterspout.history.Sequencer},
 * {@link org.waterspout.history.Numbering}); pages of a stream and the cursors of users signing in,
 * read in batches ({@link org.waterspout.history.Reading}, {@link org.waterspout.history.SignIns});
 * users' acknowledgements, coalesced ({@link org.waterspout.history.Acks}); receipts to the order
 * system's {@code JMSReplyTo}; and retention. Depends on {@code notification} and {@code config}
 * only.
 */
package org.waterspout.history;
