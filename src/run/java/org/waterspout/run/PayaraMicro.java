package org.waterspout.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Payara Micro with the post-boot commands that deploy the Artemis resource adapter. */
public final class PayaraMicro {

  private PayaraMicro() {}

  /**
   * Starts Payara Micro on port 8080 deploying {@code war}; the caller checks that the port is free
   * and waits for it.
   */
  public static Child start(
      Path jar, Path postboot, Path war, Path work, List<String> jvmOptions, LogWatch watch)
      throws IOException, StartFailed {
    return start(
        "Payara Micro", Launcher.HTTP_PORT, jar, postboot, war, work, jvmOptions, Map.of(), watch);
  }

  /**
   * Starts Payara Micro as {@code name} on {@code port}, its temporary files and its log ({@code
   * <name>.log}, lower case, dashes for spaces) in {@code work}, with {@code environment} added.
   */
  public static Child start(
      String name,
      int port,
      Path jar,
      Path postboot,
      Path war,
      Path work,
      List<String> jvmOptions,
      Map<String, String> environment,
      LogWatch watch)
      throws IOException, StartFailed {
    String file = name.toLowerCase(java.util.Locale.ROOT).replace(' ', '-');
    Path tmp = work.resolve(file + "-tmp");
    Trees.delete(tmp);
    Files.createDirectories(tmp);
    // 1.5 GiB: on Payara an idle session holds about 39 KB of heap (Grizzly keeps the upgrade
    // request's buffers): 19,000 sessions fill 915 MB after a GC, 90 % of a 1 GiB heap.
    List<String> command = new ArrayList<>(List.of(Launcher.java(), "-Xmx1536m"));
    command.add("-Djava.io.tmpdir=" + tmp);
    command.addAll(jvmOptions);
    command.addAll(
        List.of(
            "-jar",
            jar.toString(),
            "--nocluster",
            "--port",
            String.valueOf(port),
            "--postbootcommandfile",
            postboot.toString(),
            "--deploy",
            war.toString()));
    return Child.start(
        name, command, environment, work.resolve(file + ".log"), watch.console(), watch);
  }

  /**
   * {@code postboot} plus file-realm users (each in its group), written to {@code target}; the
   * passwords files go next to it, readable by their owner only.
   */
  public static Path withUsers(Path postboot, Path target, List<User> users) throws IOException {
    Files.createDirectories(target.getParent());
    StringBuilder commands = new StringBuilder(Files.readString(postboot));
    commands.append("\n# Realm users (added by the launcher or the test setup)\n");
    for (User user : users) {
      Path passwords = target.resolveSibling(user.name() + ".passwords");
      Files.deleteIfExists(passwords);
      Trees.writePrivate(passwords, "AS_ADMIN_USERPASSWORD=" + user.password() + "\n");
      commands
          .append("create-file-user --groups ")
          .append(user.group())
          .append(" --passwordfile ")
          .append(passwords)
          .append(' ')
          .append(user.name())
          .append('\n');
    }
    Files.writeString(target, commands);
    return target;
  }

  /** A file-realm user. */
  public record User(String name, String password, String group) {}
}
