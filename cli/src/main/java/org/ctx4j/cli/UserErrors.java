package org.ctx4j.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.ctx4j.Ctx4jException;
import org.ctx4j.WrongFileKindException;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine;

/**
 * The one line a CLI user reads for a failed command, in the words of the command line: the flag
 * that named a file, not the Java reader or method that refused it. Our exceptions carry their
 * facts (file, kinds, field) so that this class phrases from those rather than parsing messages.
 */
final class UserErrors {
  private UserErrors() {}

  /**
   * The message for a user error, or null if {@code ex} is a bug (then the caller prints the trace).
   * User errors: our exceptions, precondition failures at our API's entry points, and a file the
   * process may not write (permissions, a read-only file system).
   */
  static String describe(Throwable ex, ParseResult parsed) {
    ParseResult command = leaf(parsed);
    FileSystemException denied = deniedWrite(ex);
    if (denied != null) {
      return notWritable(denied, command);
    }
    if (ex instanceof WrongFileKindException e) {
      return named(e.file(), command) + " is " + e.found() + ", not " + e.expected();
    }
    if (ex instanceof Ctx4jException || ex instanceof IllegalArgumentException) {
      return ex.getMessage();
    }
    return null;
  }

  /** A bad command line as one line, with picocli's "did you mean" folded in. */
  static String usageLine(CommandLine.ParameterException ex) {
    StringBuilder line = new StringBuilder(ex.getMessage());
    if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
      line.append("; did you mean ").append(String.join(" or ", u.getSuggestions())).append('?');
    }
    return line.append(" (see '").append(ex.getCommandLine().getCommandSpec().qualifiedName()).append(" --help')").toString();
  }

  private static ParseResult leaf(ParseResult parsed) {
    ParseResult p = parsed;
    while (p.subcommand() != null) {
      p = p.subcommand();
    }
    return p;
  }

  /** The first "may not write" cause: permission denied or a read-only file system. */
  private static FileSystemException deniedWrite(Throwable ex) {
    for (Throwable t = ex; t != null; t = t.getCause()) {
      if (t instanceof AccessDeniedException a) {
        return a;
      }
      if (t instanceof FileSystemException f
          && f.getReason() != null
          && f.getReason().toLowerCase(Locale.ROOT).contains("read-only")) {
        return f;
      }
    }
    return null;
  }

  private static String notWritable(FileSystemException e, ParseResult command) {
    String reason = e instanceof AccessDeniedException ? "permission denied" : "read-only file system";
    Path file = e.getFile() == null ? null : Path.of(e.getFile());
    if (file != null) {
      for (OptionSpec o : command.matchedOptions()) {
        if (o.getValue() instanceof Path p && isWithin(file, p)) {
          return o.longestName() + " " + p + " is not writable (" + reason + "): cannot write " + file;
        }
      }
    }
    return "cannot write " + (file == null ? e.getMessage() : file) + " (" + reason + ")";
  }

  /** {@code file} as the user named it: {@code --flag FILE} when a flag gave exactly that file. */
  static String named(Path file, ParseResult command) {
    for (OptionSpec o : command.matchedOptions()) {
      if (o.getValue() instanceof Path p && sameFile(p, file)) {
        return o.longestName() + " " + p;
      }
    }
    return file.toString();
  }

  /** Whether two paths name one file: equal once absolute and normalized, or the same inode. */
  static boolean sameFile(Path a, Path b) {
    if (a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize())) {
      return true;
    }
    try {
      return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean isWithin(Path file, Path dir) {
    return file.toAbsolutePath().normalize().startsWith(dir.toAbsolutePath().normalize());
  }
}
