package org.ctx4j.core.internal.dataset;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Runs a snippet with Debian's Python (the reference); fails loudly when it is absent. */
public final class ReferencePython {
  private static final Path PYTHON = Path.of("/usr/bin/python3");

  private ReferencePython() {}

  /** Runs {@code script} and returns its standard output (UTF-8). */
  public static String run(String script) throws IOException, InterruptedException {
    return run(script, "");
  }

  /** Runs {@code script} with {@code stdin} as its input; returns its standard output (UTF-8). */
  public static String run(String script, String stdin) throws IOException, InterruptedException {
    if (!Files.isExecutable(PYTHON)) {
      throw new IllegalStateException(
          PYTHON + " is missing: install Debian's python3 (CI does) to run the reference checks");
    }
    Process process =
        new ProcessBuilder(PYTHON.toString(), "-c", script)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try (var in = process.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    byte[] out = process.getInputStream().readAllBytes();
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException("reference python failed: " + script);
    }
    return new String(out, StandardCharsets.UTF_8);
  }
}
