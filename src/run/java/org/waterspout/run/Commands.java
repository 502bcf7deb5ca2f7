package org.waterspout.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
          String.join(" ", command) + " failed (exit " + result.exit() + "):\n" + result.output());
    }
    return result;
  }

  /** Runs {@code command} and returns whatever it did. */
  static Result attempt(List<String> command, Path directory, Map<String, String> environment)
      throws IOException, InterruptedException, StartFailed {
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
    builder.environment().putAll(environment);
    Process process = builder.start();
    process.getOutputStream().close();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new StartFailed(String.join(" ", command) + " did not finish in " + TIMEOUT);
    }
    return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }
}
