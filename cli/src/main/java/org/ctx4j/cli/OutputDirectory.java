package org.ctx4j.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * Checks that a command can write into an existing output directory before it loads a model or
 * writes anything, so an unwritable {@code --out} is one line naming the flag rather than a failure
 * deep in the build. A directory that does not exist yet is left to the build to create.
 */
final class OutputDirectory {
  private OutputDirectory() {}

  static void requireWritable(CommandLine cmd, String flag, Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    if (!Files.isDirectory(dir)) {
      throw new CommandLine.ParameterException(cmd, flag + " " + dir + " is a file, not a directory");
    }
    // Files.isWritable asks access(2), which says yes to root even on a read-only mount: only a
    // real write tells. The probe is deleted at once, so the directory is left as it was.
    try {
      Path probe = Files.createTempFile(dir, ".ctx4j-write-check", ".tmp");
      Files.delete(probe);
    } catch (IOException e) {
      throw new CommandLine.ParameterException(
          cmd, flag + " " + dir + " is not writable (" + reason(e) + ")");
    }
  }

  private static String reason(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason().toLowerCase(java.util.Locale.ROOT);
    }
    return String.valueOf(e.getMessage());
  }
}
