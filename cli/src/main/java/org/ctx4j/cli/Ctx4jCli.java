package org.ctx4j.cli;

import java.io.PrintWriter;
import java.util.Optional;
import org.ctx4j.Ctx4jException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * The {@code ctx4j} command: {@code build}, {@code inspect}, {@code merge}, {@code export}, {@code demo}.
 *
 * <p>Exit codes: 0 success, 1 a bug (stack trace printed), 2 a user error (bad option, missing or
 * malformed input, settings that conflict with an existing build: one line, no stack trace;
 * {@code --debug} adds the trace).
 */
@Command(
    name = "ctx4j",
    mixinStandardHelpOptions = true,
    versionProvider = Ctx4jCli.Version.class,
    description = "Cross-modal (CLIP visual + retrieved textual) context for image captioning.",
    subcommands = {
      BuildCommand.class,
      InspectCommand.class,
      MergeCommand.class,
      ExportCommand.class,
      DemoCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Ctx4jCli {
  @Option(names = "--debug", description = "Print stack traces for user errors too.")
  boolean debug;

  /** Exit code for user errors (bad input or options), as picocli uses for usage errors. */
  public static final int USER_ERROR = 2;

  public static void main(String[] args) {
    Optional<Integer> relaunched = VectorRelaunch.ifNeeded(Ctx4jCli.class, args);
    System.exit(relaunched.isPresent() ? relaunched.get() : run(args));
  }

  /** Runs the command line and returns the exit code (for tests and embedding). */
  public static int run(String... args) {
    return newCommandLine().execute(args);
  }

  /** Runs the command line with the given output streams; returns the exit code. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cl = newCommandLine();
    cl.setOut(out);
    cl.setErr(err);
    return cl.execute(args);
  }

  static CommandLine newCommandLine() {
    CommandLine cl = new CommandLine(new Ctx4jCli());
    cl.setExecutionExceptionHandler(
        (ex, cmd, parseResult) -> {
          PrintWriter err = cmd.getErr();
          boolean debug = parseResult.hasMatchedOption("--debug");
          err.flush();
          cmd.getOut().flush();
          if (isUserError(ex)) {
            err.println("ctx4j: error: " + ex.getMessage());
            if (debug) {
              ex.printStackTrace(err);
            }
            err.flush();
            return USER_ERROR;
          }
          err.println("ctx4j: internal error (please report):");
          ex.printStackTrace(err);
          err.flush();
          return 1;
        });
    return cl;
  }

  /**
   * Our exceptions and precondition failures at our API's entry points describe bad input; any
   * other exception is a bug.
   */
  static boolean isUserError(Throwable ex) {
    return ex instanceof Ctx4jException || ex instanceof IllegalArgumentException;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Ctx4jCli.class.getPackage().getImplementationVersion();
      return new String[] {"ctx4j " + (v == null ? "(development build)" : v)};
    }
  }
}
