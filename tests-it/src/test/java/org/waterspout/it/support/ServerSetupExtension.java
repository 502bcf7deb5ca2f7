package org.waterspout.it.support;

import org.jboss.arquillian.core.spi.LoadableExtension;

/** Registers {@link ServerSetup}. */
public class ServerSetupExtension implements LoadableExtension {

  @Override
  public void register(ExtensionBuilder builder) {
    builder.observer(ServerSetup.class);
  }
}
