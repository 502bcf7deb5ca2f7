package org.waterspout.it.support;

import java.io.File;
import java.net.URI;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The server under test: the WAR as built, reached through the public contract's URLs. */
public final class Server {

  /** Public contract: the app at /waterspout on port 8080. */
  public static final URI HTTP = URI.create("http://localhost:8080/waterspout/");

  public static final URI WEBSOCKET = URI.create("ws://localhost:8080/waterspout/ws");

  private Server() {}

  /**
   * The WAR that {@code mvn package} built, unchanged. Every test class deploys this same archive,
   * so the shared Payara Micro starts once per run.
   */
  public static WebArchive builtWar() {
    File war = new File(System.getProperty("waterspout.war", "target/waterspout.war"));
    return ShrinkWrap.create(ZipImporter.class, "waterspout.war")
        .importFrom(war)
        .as(WebArchive.class);
  }
}
