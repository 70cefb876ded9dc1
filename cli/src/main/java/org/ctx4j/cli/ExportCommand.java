package org.ctx4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ctx4j.core.TextualContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ctx4j export}: a compact txt_ctx into the original layout for the Python trainer. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Writes a compact textual context (caption ids + scores) in the original Xmodal-Ctx layout",
      "(texts, scores, features per crop), resolving captions and features through the caption db.",
      "Interrupted exports resume when rerun."
    })
final class ExportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--compact", required = true, paramLabel = "FILE", description = "The compact txt_ctx file.")
  Path compact;

  @Option(
      names = "--caption-db",
      paramLabel = "FILE",
      description = "The caption db (default: the one named by the compact file's caption_db attribute).")
  Path captionDb;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "The txt_ctx file to write.")
  Path out;

  @Override
  public Integer call() {
    refuseOverwritingAnInput("--compact", compact);
    if (captionDb != null) {
      refuseOverwritingAnInput("--caption-db", captionDb);
    }
    int written =
        captionDb == null
            ? TextualContext.exportOriginalLayout(compact, out)
            : TextualContext.exportOriginalLayout(compact, captionDb, out);
    spec.commandLine().getOut().printf("exported %d images to %s%n", written, out);
    return 0;
  }

  /** Writing onto an input would destroy it: refuse before opening anything for writing. */
  private void refuseOverwritingAnInput(String flag, Path input) {
    if (UserErrors.sameFile(out, input)) {
      throw new ParameterException(
          spec.commandLine(),
          "--out " + out + " is the " + flag + " input itself: give --out a new file name for the"
              + " export (the input is left as it is)");
    }
  }
}
