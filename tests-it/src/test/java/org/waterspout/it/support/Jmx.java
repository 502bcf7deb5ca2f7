package org.waterspout.it.support;

import java.util.HashMap;
import java.util.Map;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * A JMX connection to the server under test, the way an admin's JConsole connects to it: the URL
 * and credentials of each server come from failsafe (see the it-* executions in pom.xml).
 */
public final class Jmx {

  private Jmx() {}

  public static JMXConnector connect() throws Exception {
    Map<String, Object> environment = new HashMap<>();
    String user = System.getProperty("it.jmx.user", "");
    if (!user.isEmpty()) {
      environment.put(
          JMXConnector.CREDENTIALS, new String[] {user, System.getProperty("it.jmx.password", "")});
    }
    return JMXConnectorFactory.connect(
        new JMXServiceURL(System.getProperty("it.jmx.url")), environment);
  }

  public static MBeanServerConnection server(JMXConnector connector) throws Exception {
    return connector.getMBeanServerConnection();
  }
}
