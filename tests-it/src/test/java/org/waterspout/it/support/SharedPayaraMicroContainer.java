package org.waterspout.it.support;

import fish.payara.arquillian.container.payara.managed.PayaraMicroDeployableContainer;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.spi.client.container.DeploymentException;
import org.jboss.arquillian.container.spi.client.container.LifecycleException;
import org.jboss.arquillian.container.spi.client.protocol.metadata.ProtocolMetaData;
import org.jboss.shrinkwrap.api.Archive;

/**
 * One Payara Micro for the whole test run. The Payara Micro adapter (3.1) launches a new Payara in
 * every deploy() and kills it in every undeploy(), about ten seconds per test class. This subclass
 * launches it on the first deploy(), hands the same metadata to every later deploy() of an
 * identical archive, and stops Payara in stop(), which Arquillian calls once at the end of the
 * suite. It relies on failsafe's defaults (one fork, reused), which run all classes in one suite.
 *
 * <p>{@link #restartRunning()} stops that Payara and launches it again the same way (same archive,
 * same options and post-boot commands), for {@link ServerSetup#restartServer()}.
 */
public class SharedPayaraMicroContainer extends PayaraMicroDeployableContainer {

  private static final Logger LOG = Logger.getLogger(SharedPayaraMicroContainer.class.getName());

  /** The container of this run: Arquillian makes one. */
  private static volatile SharedPayaraMicroContainer current;

  private Archive<?> running;
  private String runningKey;
  private ProtocolMetaData runningMetaData;
  private ProcessHandle payara;

  /**
   * Stops the running Payara Micro (SIGTERM: it shuts down cleanly, closing its pools) and launches
   * it again with the same archive; returns once the adapter has seen the deployment again.
   */
  static void restartRunning() throws DeploymentException {
    SharedPayaraMicroContainer container = current;
    if (container == null) {
      throw new IllegalStateException("Payara Micro has not been started");
    }
    container.restart();
  }

  private synchronized void restart() throws DeploymentException {
    Archive<?> archive = running;
    if (archive == null) {
      throw new IllegalStateException("Payara Micro is not running");
    }
    shutdown();
    deploy(archive);
  }

  @Override
  public synchronized ProtocolMetaData deploy(Archive<?> archive) throws DeploymentException {
    current = this;
    String key = keyOf(archive);
    if (runningMetaData != null) {
      if (key.equals(runningKey)) {
        return runningMetaData;
      }
      // The adapter cannot hot-deploy: a different archive needs a fresh Payara.
      LOG.warning(() -> archive.getName() + " differs from the running archive; restarting Payara");
      shutdown();
    }
    Set<ProcessHandle> before = children();
    ProtocolMetaData metaData;
    try {
      metaData = super.deploy(archive);
    } catch (DeploymentException | RuntimeException e) {
      // The adapter leaves Payara running when it times out.
      killNewChildren(before);
      throw e;
    }
    if (metaData == null) {
      killNewChildren(before);
      throw new DeploymentException("Payara Micro failed to start for " + archive.getName());
    }
    payara = children().stream().filter(p -> !before.contains(p)).findFirst().orElse(null);
    running = archive;
    runningKey = key;
    runningMetaData = metaData;
    return metaData;
  }

  @Override
  public void undeploy(Archive<?> archive) {
    // Deferred to stop(): the next test class reuses the running server.
  }

  @Override
  public synchronized void stop() throws LifecycleException {
    try {
      shutdown();
    } finally {
      super.stop();
    }
  }

  private void shutdown() {
    if (running == null) {
      return;
    }
    try {
      super.undeploy(running);
    } catch (DeploymentException | RuntimeException e) {
      LOG.log(Level.WARNING, "Stopping Payara Micro failed", e);
    }
    if (payara != null) {
      try {
        payara.onExit().get(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warning("Payara Micro did not stop within 60 s; killing it");
        payara.destroyForcibly();
      }
    }
    running = null;
    runningKey = null;
    runningMetaData = null;
    payara = null;
  }

  private static String keyOf(Archive<?> archive) {
    return archive.getName()
        + "|"
        + archive.getContent().keySet().stream()
            .map(Object::toString)
            .collect(Collectors.toCollection(TreeSet::new));
  }

  private static Set<ProcessHandle> children() {
    return ProcessHandle.current().children().collect(Collectors.toSet());
  }

  private static void killNewChildren(Set<ProcessHandle> before) {
    children().stream().filter(p -> !before.contains(p)).forEach(ProcessHandle::destroyForcibly);
  }
}
