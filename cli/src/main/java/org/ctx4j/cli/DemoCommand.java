package org.ctx4j.cli;

import com.google.common.io.MoreFiles;
import com.google.common.io.RecursiveDeleteOption;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.ctx4j.BuildSettingsException;
import org.ctx4j.clip.ClipModel;
import org.ctx4j.core.BuildReport;
import org.ctx4j.core.ClipPreprocessor;
import org.ctx4j.core.ContextBuilder;
import org.ctx4j.testing.DemoData;
import org.ctx4j.testing.TinyClipModels;
import org.ctx4j.testing.TinyClipSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ctx4j demo}: generates a small COCO-format dataset, a Visual Genome sample and a tiny CLIP
 * model (random weights), runs the whole build and inspects one image. Nothing is downloaded.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Generates demo data and a tiny CLIP model, builds all three context files, inspects one image."
    })
final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--dir", defaultValue = "ctx4j-demo", paramLabel = "DIR", description = "Working directory (default: ${DEFAULT-VALUE}).")
  Path dir;

  @Option(names = "--images", defaultValue = "48", description = "Images to generate (default: ${DEFAULT-VALUE}).")
  int images;

  @Option(names = "--seed", defaultValue = "2022", description = "Seed of data and model (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    BuildReport report = run(dir, images, seed, true, out);
    InspectCommand.inspect(report.outputDir(), null, "five", 2, 4, out);
    return 0;
  }

  /** Generates everything under {@code dir} and builds; returns the build's report. */
  static BuildReport run(Path dir, int images, long seed, boolean showProgress, PrintWriter out) {
    Path data = dir.resolve("data");
    Path outputs = dir.resolve("out");
    DemoData.write(data, images, seed);
    Path model = TinyClipModels.write(dir.resolve("model"), TinyClipSpec.tiny(), seed);
    out.printf("demo data in %s, tiny CLIP model in %s%n", data, model);
    out.flush();
    BuildReport report;
    try (ClipModel clip = ClipModel.load(model)) {
      Supplier<ContextBuilder> builder =
          () -> {
            ContextBuilder b =
                ContextBuilder.forCoco(data.resolve("coco"))
                    .visualGenome(data.resolve("visual_genome"))
                    .imageEncoder(clip.imageEncoder())
                    .textEncoder(clip.textEncoder())
                    .preprocessor(ClipPreprocessor.forModel(model))
                    .output(outputs);
            return showProgress ? b.progress(ConsoleProgress.forThisProcess()) : b;
          };
      try {
        report = builder.get().build();
      } catch (BuildSettingsException e) {
        // The demo's outputs are generated and disposable: an older demo made with other
        // settings (another ctx4j version's numerics, say) is rebuilt rather than refused.
        out.printf("%s was made with other settings; building the demo again%n", outputs);
        out.flush();
        deleteTree(outputs);
        report = builder.get().build();
      }
    }
    out.println(report.summary());
    out.flush();
    return report;
  }

  private static void deleteTree(Path dir) {
    try {
      MoreFiles.deleteRecursively(dir, RecursiveDeleteOption.ALLOW_INSECURE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the old demo output " + dir, e);
    }
  }
}
