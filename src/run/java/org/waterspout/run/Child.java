package org.waterspout.run;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A server or broker process started by WaterSpout's launchers: its output goes to a log file (and
 * selected lines to the console), and stopping it stops its whole process tree, server JVMs that
 * start scripts spawned included.
 */
public final class Child {

  static final Duration STOP = Duration.ofSeconds(30);

  /** Every child started by this JVM that may still run, oldest first. */
  private static final List<Child> STARTED = new ArrayList<>();

  private static boolean closed;

  /** {@link Leftovers#MARK}'s value for this launcher's children; none until it is set. */
  private static volatile String mark;

  private final String name;
  private final Process process;
  private final Path log;
  private final boolean ownGroup;

  private Child(String name, Process process, Path log, boolean ownGroup) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.ownGroup = ownGroup;
  }

  /** Marks every child started from now on as this launcher's, for {@link Leftovers}. */
  static void markAs(String value) {
    mark = value;
  }

  /**
   * Starts {@code command} in its own session (so a Ctrl-C reaches only the launcher, which stops
   * children in order) with {@code environment} added, copying its output to {@code log} and the
   * lines {@code echo} accepts to {@code console}.
   */
  public static Child start(
      String name,
      List<String> command,
      Map<String, String> environment,
      Path log,
      PrintStream console,
      Predicate<String> echo)
      throws IOException {
    Files.createDirectories(log.getParent());
    // This start's log only, from its first line: a wait for a line must not find the last one's.
    // The last start's is kept beside it (<log>.1): after a restart it says why the process died.
    if (Files.exists(log)) {
      Files.move(
          log,
          log.resolveSibling(log.getFileName() + ".1"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    List<String> full = new ArrayList<>();
    boolean ownGroup = Files.isExecutable(Path.of("/usr/bin/setsid"));
    if (ownGroup) {
      full.add("/usr/bin/setsid");
    }
    full.addAll(command);
    ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true);
    builder.environment().putAll(environment);
    if (mark != null) {
      builder.environment().put(Leftovers.MARK, mark);
    }
    Child child;
    Process process;
    synchronized (STARTED) {
      if (closed) {
        throw new IOException(name + " was not started: everything is stopping");
      }
      process = builder.start();
      child = new Child(name, process, log, ownGroup);
      STARTED.removeIf(started -> !started.isAlive());
      STARTED.add(child);
    }
    Thread pump =
        new Thread(() -> child.pump(process.getInputStream(), console, echo), name + " log");
    pump.setDaemon(true);
    pump.start();
    return child;
  }

  /**
   * For a launcher's stop: from now on every start fails, and here is each child still running,
   * oldest first (one that a restart started a moment ago included).
   */
  public static List<Child> refuseStartsAndList() {
    synchronized (STARTED) {
      closed = true;
      return STARTED.stream().filter(Child::isAlive).toList();
    }
  }

  public String name() {
    return name;
  }

  public Path log() {
    return log;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The exit code once the process has ended, or null while it runs. */
  public Integer exitCode() {
    return process.isAlive() ? null : process.exitValue();
  }

  public long pid() {
    return process.pid();
  }

  /** The process and its descendants (a start script's server JVM). */
  public List<ProcessHandle> tree() {
    List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
    all.add(process.toHandle());
    return all;
  }

  /** Asks the process tree to stop (SIGTERM: servers shut down cleanly), then insists. */
  public void stop() {
    terminate(tree());
    if (ownGroup) {
      // What it forked after the tree was read (a server that had just been started) is still in
      // its process group, setsid's, whose id is its pid: SIGKILL for whatever is left there.
      try {
        new ProcessBuilder("kill", "-KILL", "--", "-" + process.pid())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start()
            .waitFor(10, TimeUnit.SECONDS);
      } catch (IOException e) {
        // No kill command: the tree above is all it can do.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * SIGTERM to every process of {@code all}, then SIGKILL to those still running after {@link
   * #STOP} in all.
   */
  static void terminate(List<ProcessHandle> all) {
    all.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + STOP.toNanos();
    for (ProcessHandle handle : all) {
      try {
        long left = Math.max(1, deadline - System.nanoTime());
        handle.onExit().get(left, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (Exception e) {
        handle.destroyForcibly();
      }
    }
    all.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }

  /** The last lines of the log, for an error message. */
  public String tail() {
    return tail(log);
  }

  static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      List<String> last = lines.subList(Math.max(0, lines.size() - 30), lines.size());
      return "\n--- last lines of " + log + " ---\n" + String.join("\n", last);
    } catch (IOException e) {
      return " (no log at " + log + ")";
    }
  }

  private void pump(InputStream input, PrintStream console, Predicate<String> echo) {
    try (BufferedReader reader =
            new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8));
        Writer writer = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
      String line;
      while ((line = reader.readLine()) != null) {
        writer.write(line);
        writer.write(System.lineSeparator());
        writer.flush();
        if (echo.test(line)) {
          console.println(line);
        }
      }
    } catch (IOException e) {
      // The process is gone; its exit is reported by whoever waits for it.
    }
  }
}
