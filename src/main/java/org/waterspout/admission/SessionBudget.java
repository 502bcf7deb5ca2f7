package org.waterspout.admission;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The default session limit, when none is configured: what the heap holds and what the process may
 * open, whichever is smaller. Each session is budgeted {@value #BYTES_PER_SESSION} bytes out of
 * three quarters of the maximum heap (the rest is the container's and the notifications'), and one
 * file (its socket) out of the soft open-file limit less {@value #RESERVED_FILES} for the server's
 * own jars, logs, database and broker connections.
 */
public final class SessionBudget {

  /**
   * Heap budgeted per session: an idle authenticated session measured 37 KB on Payara Micro (most
   * of it Grizzly's HTTP buffers of the upgrade request, which live as long as the socket) and 12
   * KB on WildFly; the budget is Payara's, with a little room, so that the default limit is reached
   * before the heap watermark.
   */
  public static final long BYTES_PER_SESSION = 40 * 1024;

  /** Open files left to the server itself. */
  public static final long RESERVED_FILES = 1024;

  private static final Logger LOG = Logger.getLogger(SessionBudget.class.getName());

  private static final Path LIMITS = Path.of("/proc/self/limits");

  private SessionBudget() {}

  /** The default for this process: its maximum heap and, on Linux, its open-file limit. */
  public static int forThisProcess() {
    return limit(Runtime.getRuntime().maxMemory(), openFileLimit(readLimits()));
  }

  /** The smaller of the heap's and the files' share, at least 1. */
  static int limit(long maxHeapBytes, OptionalLong openFiles) {
    long byHeap = maxHeapBytes / 4 * 3 / BYTES_PER_SESSION;
    long byFiles = openFiles.stream().map(f -> f - RESERVED_FILES).findFirst().orElse(byHeap);
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.min(byHeap, byFiles)));
  }

  /**
   * The soft limit of the "Max open files" line of {@code /proc/self/limits}; empty when the line
   * is missing or says unlimited.
   */
  static OptionalLong openFileLimit(List<String> limits) {
    for (String line : limits) {
      if (line.startsWith("Max open files")) {
        String[] columns = line.substring("Max open files".length()).trim().split("\\s+");
        try {
          return OptionalLong.of(Long.parseLong(columns[0]));
        } catch (NumberFormatException e) {
          return OptionalLong.empty();
        }
      }
    }
    return OptionalLong.empty();
  }

  private static List<String> readLimits() {
    if (!Files.isReadable(LIMITS)) {
      return List.of();
    }
    try {
      return Files.readAllLines(LIMITS);
    } catch (IOException e) {
      LOG.log(Level.FINE, "Could not read " + LIMITS + "; the heap alone sizes the limit", e);
      return List.of();
    }
  }
}
