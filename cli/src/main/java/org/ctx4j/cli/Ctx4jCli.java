package org.ctx4j.cli;

import java.io.PrintWriter;
import java.util.Optional;
import org.ctx4j.Ctx4jException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine;

/**
 * The {@code ctx4j} command: {@code build}, {@code inspect}, {@code merge}, {@code export}, {@code demo}.
 *
 * <p>Exit codes: 0 success, 1 a bug (stack trace printed), 2 a user error (bad option, missing or
 * malformed input, settings that conflict with an existing build, an unwritable output: one line
 * on stderr in the words of the command line, no stack trace; {@code --debug}, before or after the
 * subcommand, adds the trace). {@link UserErrors} phrases the line.
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
      ServeCommand.class,
      ShowCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Ctx4jCli {
  @Option(
      names = "--debug",
      scope = ScopeType.INHERIT,
      description = "Print stack traces for user errors too.")
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
    cl.setParameterExceptionHandler(
        (ex, args) -> {
          // one line, not picocli's default of the message followed by the whole usage help
          CommandLine cmd = ex.getCommandLine();
          PrintWriter err = cmd.getErr();
          err.println("ctx4j: error: " + UserErrors.usageLine(ex));
          if (debugRequested(args)) {
            ex.printStackTrace(err);
          }
          err.flush();
          return USER_ERROR;
        });
    cl.setExecutionExceptionHandler(
        (ex, cmd, parseResult) -> {
          PrintWriter err = cmd.getErr();
          err.flush();
          cmd.getOut().flush();
          String line = UserErrors.describe(ex, parseResult);
          if (line != null) {
            err.println("ctx4j: error: " + line);
            if (debugMatched(parseResult)) {
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

  /** {@code --debug} is inherited: it may have been matched by the subcommand, not the top level. */
  private static boolean debugMatched(ParseResult parsed) {
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--debug")) {
        return true;
      }
    }
    return false;
  }

  /** For an unparsable command line: whether {@code --debug} was among the words. */
  private static boolean debugRequested(String[] args) {
    for (String a : args) {
      if (a.equals("--debug")) {
        return true;
      }
    }
    return false;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Ctx4jCli.class.getPackage().getImplementationVersion();
      return new String[] {"ctx4j " + (v == null ? "(development build)" : v)};
    }
  }
}
