package org.waterspout.run;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a server's admin command line tool (asadmin, jboss-cli, add-user) to its end. */
final class Commands {

  static final Duration TIMEOUT = Duration.ofMinutes(3);

  private Commands() {}

  /** Output of a finished command. */
  record Result(int exit, String output) {}

  /** Runs {@code command} in {@code directory}; a non-zero exit or a timeout fails the start. */
  static Result run(List<String> command, Path directory, Map<String, String> environment)
      throws IOException, InterruptedException, StartFailed {
    Result result = attempt(command, directory, environment);
    if (result.exit() != 0) {
      throw new StartFailed(
          shown(command) + " failed (exit " + result.exit() + "):\n" + result.output());
    }
    return result;
  }

  /**
   * Runs {@code command} and returns whatever it did. Output goes to a file, so the timeout holds
   * even for a tool that hangs with its output open; the tool's whole process tree is killed then.
   */
  static Result attempt(List<String> command, Path directory, Map<String, String> environment)
      throws IOException, InterruptedException, StartFailed {
    Path output = Files.createTempFile("waterspout-command-", ".log");
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(directory.toFile())
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      builder.environment().putAll(environment);
      Process process = builder.start();
      if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new StartFailed(
            shown(command) + " did not finish in " + TIMEOUT + ":\n" + Files.readString(output));
      }
      return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(output);
    }
  }

  /** The command as it may appear in an error message: the value after -p is not shown. */
  static String shown(List<String> command) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < command.size(); i++) {
      boolean secret = i > 0 && command.get(i - 1).equals("-p");
      text.append(i == 0 ? "" : " ").append(secret ? "****" : command.get(i));
    }
    return text.toString();
  }
}
