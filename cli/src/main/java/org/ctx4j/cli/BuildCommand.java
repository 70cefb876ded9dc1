package org.ctx4j.cli;

import java.util.concurrent.Callable;
import org.ctx4j.clip.ClipModel;
import org.ctx4j.clip.ClipOptions;
import org.ctx4j.core.BuildReport;
import org.ctx4j.core.ClipPreprocessor;
import org.ctx4j.core.ContextBuilder;
import org.ctx4j.core.CropStrategy;
import org.ctx4j.core.Stage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ctx4j build}: the whole job, or some stages of it. */
@Command(
    name = "build",
    mixinStandardHelpOptions = true,
    description = {
      "Builds caption_db.hdf5, vis_ctx.hdf5 and txt_ctx.hdf5 in --out.",
      "Rerun the same command after an interruption to resume; a finished build is not redone."
    })
final class BuildCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin BuildFlags flags;

  @Override
  public Integer call() {
    flags.check();
    Thread interruptNotice =
        new Thread(
            () -> System.err.println("ctx4j: interrupted; rerun the same command to resume"));
    Runtime.getRuntime().addShutdownHook(interruptNotice);
    try (ClipModel clip =
        ClipModel.load(
            flags.model(),
            ClipOptions.builder()
                .longTexts(flags.longTextRule())
                .backend(flags.backend())
                .build())) {
      ContextBuilder builder = builder();
      builder
          .imageEncoder(clip.imageEncoder())
          .textEncoder(clip.textEncoder())
          .preprocessor(ClipPreprocessor.forModel(flags.model()))
          .output(flags.out())
          .topK(flags.topK)
          .crops(flags.crops.stream().map(CropStrategy::fromKey).toArray(CropStrategy[]::new))
          .compact(flags.compact)
          .captionDbInOriginalLayout(flags.captionDbInOriginalLayout())
          .retrieval(flags.retrieval())
          .skipBad(flags.skipBad)
          .batchSize(flags.batchSize)
          .progress(ConsoleProgress.forThisProcess());
      flags.cropK.forEach((crop, k) -> builder.topK(CropStrategy.fromKey(crop), k));
      if (flags.visualGenome != null) {
        builder.visualGenome(flags.visualGenome());
      }
      if (flags.captionDb != null) {
        builder.captionDb(flags.captionDb);
      }
      if (flags.stages != null) {
        builder.stages(flags.stages.stream().map(BuildFlags::stage).toArray(Stage[]::new));
      }
      if (flags.shard != null) {
        builder.shard(flags.shard.index(), flags.shard.count());
      }
      if (flags.threads != null) {
        builder.threads(flags.threads);
      }
      BuildReport report = builder.build();
      spec.commandLine().getOut().println(report.summary());
      if (!report.skipped().isEmpty()) {
        spec.commandLine()
            .getOut()
            .println(
                "  skipped " + report.skipped().size() + " bad images: see skipped.tsv in "
                    + flags.out);
      }
      return 0;
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(interruptNotice);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is exiting (Ctrl-C): let the notice print
      }
    }
  }

  private ContextBuilder builder() {
    if (flags.coco() != null) {
      return ContextBuilder.forCoco(flags.coco());
    }
    if (flags.imageFolder() != null) {
      return ContextBuilder.forImageFolder(flags.imageFolder());
    }
    return ContextBuilder.forCaptionDb();
  }
}
