package org.ctx4j.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Gets the command line the SIMD retrieval kernel on a stock {@code java -jar}: a JVM started
 * without {@code jdk.incubator.vector} (a module a JVM can only add at start-up) runs the same
 * command again in a child JVM that has it, with the same JVM options, class path and arguments,
 * and exits with the child's code. Measured start-up cost on the 2-core box: see docs/cli.md.
 *
 * <p>{@code -Dctx4j.relaunch=false} turns it off (tests that kill the process they started use it:
 * a SIGKILL reaches this JVM, not the child; Ctrl-C reaches both, as they share the terminal's
 * process group).
 */
final class VectorRelaunch {
  static final String PROPERTY = "ctx4j.relaunch";
  static final String MODULE = "jdk.incubator.vector";

  private VectorRelaunch() {}

  /** The child's exit code, or empty when this JVM should run the command itself. */
  static Optional<Integer> ifNeeded(Class<?> mainClass, String[] args) {
    if (ModuleLayer.boot().findModule(MODULE).isPresent()
        || "false".equals(System.getProperty(PROPERTY))) {
      return Optional.empty();
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    command.add("--add-modules");
    command.add(MODULE);
    command.add("-D" + PROPERTY + "=false");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass.getName());
    command.addAll(List.of(args));
    try {
      Process child = new ProcessBuilder(command).inheritIO().start();
      // Ctrl-C reaches the child too; wait for it to finish its own shutdown.
      Runtime.getRuntime().addShutdownHook(new Thread(() -> waitQuietly(child)));
      return Optional.of(child.waitFor());
    } catch (IOException e) {
      return Optional.empty(); // cannot start a JVM: run here, with the scalar kernel's warning
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of(130);
    }
  }

  private static void waitQuietly(Process child) {
    try {
      child.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
