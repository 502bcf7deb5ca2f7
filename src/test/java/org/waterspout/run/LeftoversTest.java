package org.waterspout.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real processes, marked as a launcher's children are. */
class LeftoversTest {

  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void stopAll() {
    started.forEach(Process::destroyForcibly);
  }

  private Process marked(String mark, String... command) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put(Leftovers.MARK, mark);
    Process process = builder.start();
    started.add(process);
    return process;
  }

  /** A process number that no longer runs: a launcher killed with kill -9. */
  private static long gonePid() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    return gone.pid();
  }

  @Test
  void whatAKilledLauncherOfThisWorkDirectoryLeftIsStoppedAndNothingElse() throws Exception {
    Path work = Files.createTempDirectory("leftovers");
    Path other = Files.createTempDirectory("leftovers-other");
    long gone = gonePid();
    Process left = marked(gone + "@" + work.toAbsolutePath(), "sleep", "300");
    Process elsewhere = marked(gone + "@" + other.toAbsolutePath(), "sleep", "300");
    Process unmarked = new ProcessBuilder("sleep", "300").start();
    started.add(unmarked);

    assertEquals(
        List.of(left.pid()), Leftovers.find(work).stream().map(ProcessHandle::pid).toList());
    ByteArrayOutputStream said = new ByteArrayOutputStream();
    Leftovers.stop(work, new PrintStream(said, true, StandardCharsets.UTF_8));

    assertTrue(left.waitFor(10, TimeUnit.SECONDS), "the leftover was stopped");
    assertTrue(elsewhere.isAlive() && unmarked.isAlive(), "the others run on");
    assertTrue(said.toString(StandardCharsets.UTF_8).contains(left.pid() + " ("), said::toString);
  }

  @Test
  void theChildrenOfALauncherThatRunsAreLeftAlone() throws Exception {
    Path work = Files.createTempDirectory("leftovers");
    // A process whose arguments name the launcher's class, as a running launcher's do (": " after
    // the sleep, so that a bash as sh does not replace itself with the sleep).
    Process launcher =
        new ProcessBuilder("sh", "-c", "sleep 300; :", Launcher.class.getName()).start();
    started.add(launcher);
    Process child = marked(launcher.pid() + "@" + work.toAbsolutePath(), "sleep", "300");

    assertEquals(List.of(), Leftovers.find(work));
    assertTrue(child.isAlive());
  }
}
