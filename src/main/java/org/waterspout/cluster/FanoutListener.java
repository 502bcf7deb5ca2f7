package org.waterspout.cluster;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.TextMessage;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.waterspout.config.JndiNames;
import org.waterspout.config.Settings;
import org.waterspout.history.NotificationNumbered;

/**
 * Reads the fan-out topic and pushes what the other instances numbered to this instance's sessions,
 * as if this instance had numbered it ({@link NotificationNumbered}, {@code fromAnotherInstance});
 * and hands the other instances' figures to the admin page's cluster view ({@link FiguresHeard}).
 *
 * <p>A non-durable subscription, one per instance (the resource adapter makes one per activation):
 * every instance gets every message, and an instance that is away misses them, which its sessions
 * make up from the history when they come back. A shared or durable subscription would be wrong:
 * shared, the instances would split the stream between them; durable, a stopped instance's
 * subscription would fill up for ever. One session, so that the notifications are pushed in the
 * order they were published. What it cannot read is logged and dropped, never redelivered.
 */
@MessageDriven(
    activationConfig = {
      @ActivationConfigProperty(
          propertyName = "destinationType",
          propertyValue = "jakarta.jms.Topic"),
      @ActivationConfigProperty(
          propertyName = "destinationLookup",
          propertyValue = JndiNames.FANOUT_TOPIC),
      @ActivationConfigProperty(
          propertyName = "subscriptionDurability",
          propertyValue = "NonDurable"),
      @ActivationConfigProperty(propertyName = "maxSession", propertyValue = "1")
    })
@TransactionManagement(TransactionManagementType.BEAN)
public class FanoutListener implements MessageListener {

  private static final Logger LOG = Logger.getLogger(FanoutListener.class.getName());

  @Inject Settings settings;
  @Inject Fanout fanout;
  @Inject Event<NotificationNumbered> numbered;
  @Inject Event<FiguresHeard> figures;

  @Override
  public void onMessage(Message message) {
    if (!settings.fanout() || !settings.problems().isEmpty()) {
      return;
    }
    try {
      if (fanout.instance().equals(message.getStringProperty(Fanout.ORIGIN))) {
        return; // this instance's own: its sessions have it already
      }
      if (!(message instanceof TextMessage text)) {
        LOG.warning(() -> "Dropped a fan-out message that is not text: " + message.getClass());
        return;
      }
      String kind = message.getStringProperty(Fanout.KIND);
      if (Fanout.FIGURES.equals(kind)) {
        figures.fire(new FiguresHeard(text.getText()));
        return;
      }
      if (kind != null) {
        // A kind of a later version (a rolling upgrade): not a notification, and not ours to read.
        LOG.fine(() -> "Ignored a fan-out message of kind " + kind);
        return;
      }
      numbered.fire(
          new NotificationNumbered(FanoutFormat.read(text.getText()), System.nanoTime(), true));
    } catch (JMSException | RuntimeException e) {
      // Dropped, not redelivered: a session that misses it reads it from the history.
      LOG.log(Level.WARNING, "Dropped a fan-out message it could not read or push", e);
    }
  }
}
