package org.waterspout.run;

import java.io.PrintStream;
import java.util.function.Predicate;

/**
 * Reads a server's log as it is written: echoes WaterSpout's own lines and errors to the console,
 * and notices a failed deployment so a launcher can stop waiting at once.
 */
public final class LogWatch implements Predicate<String> {

  private final PrintStream console;
  private volatile String failure;
  private volatile String started;
  private boolean echoNext;

  public LogWatch(PrintStream console) {
    this.console = console;
  }

  public PrintStream console() {
    return console;
  }

  /**
   * True for the lines worth echoing. Payara Server writes a record's header and its message on
   * separate lines: the line after an echoed header is echoed too.
   */
  @Override
  public synchronized boolean test(String line) {
    if (line.contains("Exception while loading the app")
        || line.contains("Exception while deploying the app")
        || line.contains("WFLYCTL0013")
        || line.contains("WFLYSRV0059")) {
      failure = line;
    }
    if (line.contains("WFLYSRV0025") || line.contains("WFLYSRV0026")) {
      // WildFly's "started" line; 0026 is "started (with errors)".
      started = line;
    }
    boolean echo =
        echoNext
            || line.contains("org.waterspout")
            || line.contains("SEVERE")
            || line.contains(" ERROR ");
    echoNext = echo && line.startsWith("[#|") && !line.endsWith("|#]");
    return echo;
  }

  /** WildFly's line saying it has started, or null. */
  public String started() {
    return started;
  }

  /** The log line that reported a failed deployment, or null. */
  public String failure() {
    return failure;
  }
}
