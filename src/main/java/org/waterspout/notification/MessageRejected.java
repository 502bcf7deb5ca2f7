package org.waterspout.notification;

/**
 * CDI event: a message broke the contract and is being moved to the rejected queue.
 *
 * @param messageId its JMSMessageID, or a generated id when it had none
 * @param reason why it was rejected
 */
public record MessageRejected(String messageId, String reason) {}
