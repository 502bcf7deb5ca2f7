package org.waterspout.it.support;

import fish.payara.arquillian.container.payara.managed.PayaraMicroDeployableContainer;
import org.jboss.arquillian.container.spi.client.container.DeployableContainer;
import org.jboss.arquillian.core.spi.LoadableExtension;

/**
 * Replaces the Payara Micro adapter with {@link SharedPayaraMicroContainer}, in the run on Payara
 * Micro: the other runs leave that adapter off the classpath.
 */
public class SharedPayaraMicroExtension implements LoadableExtension {

  private static final String ADAPTER =
      "fish.payara.arquillian.container.payara.managed.PayaraMicroDeployableContainer";

  @Override
  public void register(ExtensionBuilder builder) {
    if (!present()) {
      return;
    }
    builder.override(
        DeployableContainer.class,
        PayaraMicroDeployableContainer.class,
        SharedPayaraMicroContainer.class);
  }

  private static boolean present() {
    try {
      Class.forName(ADAPTER, false, SharedPayaraMicroExtension.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
