/**
 * The durable history (Jakarta Persistence on the datasource {@code jdbc/waterspout/history}): each
 * accepted notification once, stored in the intake transaction and idempotent on its id; a strictly
 * increasing sequence per user, with the groups each user's last token named; users'
 * acknowledgements; receipts to the order system's {@code JMSReplyTo}; and retention. Depends on
 * {@code notification} and {@code config} only.
 */
package org.waterspout.history;
