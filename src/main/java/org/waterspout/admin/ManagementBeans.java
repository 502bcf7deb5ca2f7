package org.waterspout.admin;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Registers WaterSpout's management beans in the platform MBean server when the application starts
 * and removes them when it stops. Payara and WildFly both expose that server to JConsole and
 * VisualVM (see the README for how to connect to each).
 */
@ApplicationScoped
public class ManagementBeans {

  /** Sessions: counts, list, disconnect, test notification, broadcast. */
  public static final String SESSIONS = "org.waterspout:type=Sessions";

  /** Notifications: intake and delivery counters and latency. */
  public static final String NOTIFICATIONS = "org.waterspout:type=Notifications";

  private static final Logger LOG = Logger.getLogger(ManagementBeans.class.getName());

  @Inject Administration administration;

  private final List<ObjectName> registered = new CopyOnWriteArrayList<>();

  void register(@Observes @Initialized(ApplicationScoped.class) Object started) {
    register(
        SESSIONS,
        new DescribedMXBean<>(new SessionsManagement(administration), SessionsMXBean.class));
    register(
        NOTIFICATIONS,
        new DescribedMXBean<>(
            new NotificationsManagement(administration), NotificationsMXBean.class));
  }

  void unregister(@Observes @BeforeDestroyed(ApplicationScoped.class) Object stopping) {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    for (ObjectName name : registered) {
      try {
        server.unregisterMBean(name);
      } catch (InstanceNotFoundException e) {
        LOG.fine(() -> name + " was already gone");
      } catch (JMException e) {
        LOG.log(Level.WARNING, "Could not remove management bean " + name, e);
      }
    }
    registered.clear();
  }

  private void register(String name, Object bean) {
    try {
      ObjectName objectName = new ObjectName(name);
      ManagementFactory.getPlatformMBeanServer().registerMBean(bean, objectName);
      registered.add(objectName);
    } catch (InstanceAlreadyExistsException e) {
      // A second WaterSpout in the same server: the first keeps the name, this one runs without.
      LOG.warning(
          () ->
              name
                  + " is already registered (is WaterSpout deployed twice in this server?): this"
                  + " deployment has no management bean of that name");
    } catch (JMException e) {
      LOG.log(Level.WARNING, "Could not register management bean " + name, e);
    }
  }
}
