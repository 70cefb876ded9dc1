package org.ctx4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ctx4j.core.BuildReport;
import org.ctx4j.core.ContextBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ctx4j merge}: joins shard files into the final ones. */
@Command(
    name = "merge",
    mixinStandardHelpOptions = true,
    description = {
      "Joins vis_ctx.shard-i-of-n.hdf5 / txt_ctx.shard-i-of-n.hdf5 in --dir into vis_ctx.hdf5 /"
          + " txt_ctx.hdf5,",
      "checking that no shard is missing or unfinished and no image is in two shards."
    })
final class MergeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Directory holding the shard files.")
  Path dir;

  @Override
  public Integer call() {
    OutputDirectory.requireWritable(spec.commandLine(), "--dir", dir);
    BuildReport report = ContextBuilder.mergeShards(dir);
    spec.commandLine()
        .getOut()
        .printf("merged %d images into:%n", report.images());
    report.files().values().forEach(f -> spec.commandLine().getOut().println("  " + f));
    return 0;
  }
}
