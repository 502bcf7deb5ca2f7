package org.waterspout.cluster;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.waterspout.config.JndiNames;
import org.waterspout.config.Settings;
import org.waterspout.history.NotificationNumbered;

/**
 * With {@code waterspout.cluster.fanout} on, publishes every notification this instance numbered on
 * the fan-out topic, once its numbers are committed, for the other instances to push to their own
 * sessions ({@link FanoutListener}). Each message from the order system is still taken in, stored
 * and numbered by exactly one instance (the input queue gives each message to one consumer); only
 * the push is everyone's.
 *
 * <p>Non-persistent and outside any transaction: the history is the record, the topic only makes
 * the push live. A publication that fails, or one an instance misses (it was away, its subscription
 * overflowed), costs that instance's sessions nothing but a read: each of them sees the hole at the
 * next notification of the stream, or at its next sign-in, and reads the missing ones from the
 * history.
 */
@ApplicationScoped
public class Fanout {

  /** JMS property on a fan-out message: the instance that published it. */
  public static final String ORIGIN = "WaterSpoutOrigin";

  /** JMS property on a fan-out message that is not a notification: what it is. */
  public static final String KIND = "WaterSpoutKind";

  /** {@link #KIND} of an instance's figures for the admin page ({@link #publishFigures}). */
  public static final String FIGURES = "figures";

  /** Figures older than this are of no use to anyone: the broker drops them. */
  private static final long FIGURES_TIME_TO_LIVE_MILLIS = 15_000;

  private static final Logger LOG = Logger.getLogger(Fanout.class.getName());

  private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

  @Inject Settings settings;

  @Resource(lookup = JndiNames.CONNECTION_FACTORY_REF)
  ConnectionFactory connectionFactory;

  @Resource(name = JndiNames.FANOUT_TOPIC)
  Topic topic;

  /** This instance, for as long as the application runs: what it publishes carries it. */
  private final String instance = UUID.randomUUID().toString();

  private volatile long lastWarning = System.nanoTime() - WARN_EVERY_NANOS;

  /** This instance's id, for as long as the application runs. */
  public String instance() {
    return instance;
  }

  /**
   * Publishes this instance's figures for the other instances' admin pages, when the fan-out is on;
   * a failure costs only a gap in the others' charts.
   */
  public void publishFigures(String json) {
    if (!settings.fanout()) {
      return;
    }
    try (JMSContext context = connectionFactory.createContext()) {
      TextMessage message = context.createTextMessage(json);
      message.setStringProperty(ORIGIN, instance);
      message.setStringProperty(KIND, FIGURES);
      context
          .createProducer()
          .setDeliveryMode(DeliveryMode.NON_PERSISTENT)
          .setTimeToLive(FIGURES_TIME_TO_LIVE_MILLIS)
          .send(topic, message);
    } catch (JMSException | JMSRuntimeException e) {
      LOG.log(Level.FINE, "Could not publish this instance's figures on the fan-out topic", e);
    }
  }

  void numbered(@Observes NotificationNumbered event) {
    if (!settings.fanout() || event.fromAnotherInstance()) {
      return;
    }
    try (JMSContext context = connectionFactory.createContext()) {
      TextMessage message = context.createTextMessage(FanoutFormat.write(event.numbered()));
      message.setStringProperty(ORIGIN, instance);
      context.createProducer().setDeliveryMode(DeliveryMode.NON_PERSISTENT).send(topic, message);
    } catch (JMSException | JMSRuntimeException e) {
      long now = System.nanoTime();
      Level level = now - lastWarning >= WARN_EVERY_NANOS ? Level.WARNING : Level.FINE;
      if (level == Level.WARNING) {
        lastWarning = now;
      }
      LOG.log(
          level,
          "Could not publish notification "
              + event.numbered().id()
              + " on the fan-out topic: the other instances' sessions read it from the history"
              + " (said once a minute while it lasts)",
          e);
    }
  }
}
