package org.waterspout.it.support;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.jboss.arquillian.container.spi.event.container.AfterStop;
import org.jboss.arquillian.container.spi.event.container.BeforeStart;
import org.jboss.arquillian.core.api.annotation.Observes;
import org.waterspout.run.ArtemisBroker;
import org.waterspout.run.Child;
import org.waterspout.run.LogWatch;
import org.waterspout.run.PayaraMicro;
import org.waterspout.run.PayaraServer;
import org.waterspout.run.WildFly;

/**
 * Starts what the server under test needs before Arquillian uses it, once per run, with the same
 * code and server-config scripts as {@code mvn -Prun...}: the Artemis broker for Payara; a fresh
 * Payara Server domain configured by {@code waterspout.asadmin}; WildFly configured by {@code
 * install.cli} and {@code dev.cli}. Each server gets the test secret and the small outbox as
 * environment variables (MicroProfile Config reads them) and two realm users: an admin and a user
 * without the role. Everything stops when the container stops, or when the JVM exits.
 */
public class ServerSetup {

  private static final Logger LOG = Logger.getLogger(ServerSetup.class.getName());

  private final List<Child> started = new ArrayList<>();

  public void beforeStart(@Observes BeforeStart event) throws Exception {
    Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll, "it-servers-stop"));
    String server = event.getDeployableContainer().getClass().getName();
    // The servers' logs go to target/it/<server>/; the test output stays readable.
    PrintStream console = new PrintStream(OutputStream.nullOutputStream());
    LogWatch watch = new LogWatch(console);
    if (server.contains("wildfly") || server.contains("jboss")) {
      startWildFly(watch);
    } else if (server.contains("Micro")) {
      startBroker(console);
      writePayaraMicroPostBoot();
    } else {
      startBroker(console);
      startPayaraServer(watch);
    }
  }

  public void afterStop(@Observes AfterStop event) {
    stopAll();
  }

  private void startBroker(PrintStream console) throws Exception {
    started.add(
        ArtemisBroker.start(
            path("artemis.home"),
            work().resolve("broker"),
            basedir().resolve("server-config/artemis"),
            true,
            console));
  }

  /** The post-boot commands of mvn -Prun, plus the test users; the adapter starts Payara Micro. */
  private static void writePayaraMicroPostBoot() throws IOException {
    PayaraMicro.withUsers(
        path("payara.postboot.base"),
        path("payara.postboot"),
        List.of(
            new PayaraMicro.User(
                System.getProperty("it.admin.user"),
                System.getProperty("it.admin.password"),
                "waterspout-admin"),
            new PayaraMicro.User(
                System.getProperty("it.user.user"),
                System.getProperty("it.user.password"),
                "staff")));
  }

  private void startPayaraServer(LogWatch watch) throws Exception {
    PayaraServer payara =
        PayaraServer.start(
            path("payara.home"), work().resolve("payara-server"), environment(), watch);
    started.add(payara.child());
    payara.configure(
        basedir().resolve("server-config/payara-server"),
        path("rar.file"),
        System.getProperty("it.admin.password"),
        true);
    payara.addUser(
        System.getProperty("it.user.user"), System.getProperty("it.user.password"), "staff");
  }

  private void startWildFly(LogWatch watch) throws Exception {
    String admin = System.getProperty("it.admin.user");
    String adminPassword = System.getProperty("it.admin.password");
    List<WildFly.User> users =
        List.of(
            new WildFly.User(admin, adminPassword, "waterspout-admin", false),
            new WildFly.User(admin, adminPassword, null, true),
            new WildFly.User(
                System.getProperty("it.user.user"),
                System.getProperty("it.user.password"),
                "staff",
                false));
    WildFly.start(
        path("wildfly.home"),
        work().resolve("wildfly"),
        basedir().resolve("server-config/wildfly"),
        environment(),
        users,
        watch,
        child -> {
          started.add(child);
          return child;
        });
  }

  /** What the test server must have: the secret the tests sign with, and the small outbox. */
  private static Map<String, String> environment() {
    return Map.of(
        "WATERSPOUT_TOKEN_SECRET", System.getProperty("waterspout.token.secret"),
        "WATERSPOUT_WS_OUTBOX_CAPACITY", System.getProperty("it.outbox.capacity"));
  }

  private synchronized void stopAll() {
    for (int i = started.size() - 1; i >= 0; i--) {
      Child child = started.get(i);
      if (child.isAlive()) {
        LOG.info(() -> "Stopping " + child.name());
        child.stop();
      }
    }
    started.clear();
  }

  private static Path work() throws IOException {
    return path("it.work");
  }

  private static Path basedir() {
    return path("waterspout.basedir");
  }

  private static Path path(String property) {
    String value = System.getProperty(property);
    if (value == null) {
      throw new IllegalStateException("system property " + property + " is not set (pom.xml)");
    }
    return Path.of(value);
  }
}
