package org.waterspout.run;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What an earlier launcher of the same work directory started and left running because it was
 * killed itself ({@code kill -9} of the launcher's JVM: no shutdown hook runs, and its children
 * live in sessions of their own). Each child carries {@link #MARK} in its environment, which the
 * servers and brokers that start scripts spawn inherit; a new launcher stops those whose launcher
 * is gone before it looks at its ports, so the next {@code mvn -Prun} starts instead of refusing
 * port 8080. Linux only ({@code /proc}); elsewhere it finds nothing.
 */
final class Leftovers {

  /** {@code <launcher pid>@<work directory>}, in the environment of every child. */
  static final String MARK = "WATERSPOUT_LAUNCHED_BY";

  private Leftovers() {}

  /** The mark of this launcher's children. */
  static String mark(Path work) {
    return ProcessHandle.current().pid() + "@" + work.toAbsolutePath().normalize();
  }

  /** The processes marked with {@code work} whose launcher no longer runs. */
  static List<ProcessHandle> find(Path work) {
    String suffix = "@" + work.toAbsolutePath().normalize();
    List<ProcessHandle> left = new ArrayList<>();
    long self = ProcessHandle.current().pid();
    ProcessHandle.allProcesses()
        .filter(process -> process.pid() != self)
        .forEach(
            process ->
                markOf(process.pid())
                    .filter(mark -> mark.endsWith(suffix))
                    .filter(mark -> !launcherRuns(mark.substring(0, mark.indexOf('@'))))
                    .ifPresent(mark -> left.add(process)));
    return left;
  }

  /**
   * Stops what {@link #find} finds as a child is stopped ({@link Child#terminate}), and says so.
   */
  static void stop(Path work, PrintStream out) {
    List<ProcessHandle> left = find(work);
    if (left.isEmpty()) {
      return;
    }
    List<String> names = new ArrayList<>();
    for (ProcessHandle process : left) {
      names.add(process.pid() + " (" + process.info().command().orElse("?") + ")");
    }
    out.println(
        "[waterspout] Stopping what an earlier run in "
            + work
            + " left running (its launcher was killed): "
            + String.join(", ", names));
    Child.terminate(left);
  }

  private static Optional<String> markOf(long pid) {
    try {
      byte[] environ = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"));
      for (String entry : new String(environ, StandardCharsets.UTF_8).split("\0")) {
        if (entry.startsWith(MARK + "=")) {
          return Optional.of(entry.substring(MARK.length() + 1));
        }
      }
    } catch (IOException | SecurityException e) {
      // Gone meanwhile, or another user's: not ours.
    }
    return Optional.empty();
  }

  /** Whether {@code pid} is a running launcher (not a process that took its number later). */
  private static boolean launcherRuns(String pid) {
    try {
      return ProcessHandle.of(Long.parseLong(pid))
          .filter(ProcessHandle::isAlive)
          .map(p -> p.info().arguments().map(List::of).orElse(List.of()))
          .map(arguments -> arguments.contains(Launcher.class.getName()))
          .orElse(false);
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
