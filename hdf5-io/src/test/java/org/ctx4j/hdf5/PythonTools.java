package org.ctx4j.hdf5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs Debian's h5py and hdf5-tools on files the tests wrote; fails loudly if they are absent. */
final class PythonTools {
  static final Path PYTHON = Path.of("/usr/bin/python3");

  private PythonTools() {}

  record Result(int exitCode, String stdout, String stderr) {}

  static Result run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).start();
      byte[] out = p.getInputStream().readAllBytes();
      byte[] err = p.getErrorStream().readAllBytes();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        fail("timed out: %s", command);
      }
      return new Result(
          p.exitValue(),
          new String(out, StandardCharsets.UTF_8),
          new String(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AssertionError(
          "cannot run " + command.get(0) + " (CI installs python3-h5py and hdf5-tools): " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static Path script(String name) {
    try {
      return Path.of(PythonTools.class.getResource("/h5py/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new AssertionError(e);
    }
  }

  /** Runs an h5py script; asserts it succeeded and returns its stdout. */
  static Result python(String scriptName, Object... args) {
    if (!Files.isExecutable(PYTHON)) {
      fail("%s is missing: install Debian's python3-h5py (CI does)", PYTHON);
    }
    List<String> cmd = new ArrayList<>(List.of(PYTHON.toString(), script(scriptName).toString()));
    for (Object a : args) {
      cmd.add(a.toString());
    }
    return run(cmd);
  }

  /** The dump_context.py output as key → value. */
  static Map<String, String> dump(String kind, Path file, long... ids) {
    Object[] args = new Object[ids.length + 2];
    args[0] = kind;
    args[1] = file;
    for (int i = 0; i < ids.length; i++) {
      args[i + 2] = ids[i];
    }
    Result r = python("dump_context.py", args);
    assertThat(r.exitCode()).as("h5py reading %s: %s", file, r.stderr()).isZero();
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : r.stdout().split("\n")) {
      if (!line.isEmpty()) {
        String[] kv = line.split("\t", 2);
        out.put(kv[0], kv[1]);
      }
    }
    return out;
  }

  /** Runs {@code h5dump} on the whole file and asserts it exits 0. */
  static void assertH5dumpReads(Path file) {
    Result r = run(List.of("h5dump", "-o", "/dev/null", file.toString()));
    assertThat(r.exitCode()).as("h5dump %s: %s", file, r.stderr()).isZero();
    assertThat(r.stderr()).isEmpty();
  }
}
