package org.ctx4j.benchmarks.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.ctx4j.clip.ClipModel;
import org.ctx4j.clip.ClipOptions;
import org.ctx4j.core.BuildReport;
import org.ctx4j.core.ClipPreprocessor;
import org.ctx4j.core.ContextBuilder;
import org.ctx4j.core.PreprocessorConfig;
import org.ctx4j.core.Stage;
import org.ctx4j.testing.TinyClipModels;
import org.ctx4j.testing.TinyClipSpec;

/**
 * How the cost of a whole build grows with the dataset: the image pass over 1k, 4k and 16k
 * generated 640×480 JPEGs against one caption db of ≥ 100,000 captions, with the demo's tiny CLIP
 * (32 px input, so decoding, cropping and retrieval weigh as much as they can against the
 * encoder). Prints time per image and the busy time per step per image for each size; the sizes
 * run in the order given (default 1000,4000,16000,1000: the repeat shows drift from the machine
 * rather than from the build). Time per image should stay flat.
 *
 * <pre>
 * java -Xmx3g -Dai.djl.offline=true --add-modules jdk.incubator.vector \
 *     -cp benchmarks/target/benchmarks.jar org.ctx4j.benchmarks.pipeline.ScalingBenchmark \
 *     [work dir (/tmp/ctx4j-scaling-bench)] [sizes (1000,4000,16000,1000)] [VG images (3300)]
 * </pre>
 */
public final class ScalingBenchmark {
  private ScalingBenchmark() {}

  public static void main(String[] args) throws IOException {
    Path work = Path.of(args.length > 0 ? args[0] : "/tmp/ctx4j-scaling-bench");
    int[] sizes =
        Stream.of((args.length > 1 ? args[1] : "1000,4000,16000,1000").split(","))
            .mapToInt(Integer::parseInt)
            .toArray();
    int vgImages = args.length > 2 ? Integer.parseInt(args[2]) : 3300;
    int largest = Stream.of(sizes).flatMapToInt(java.util.Arrays::stream).max().orElseThrow();
    Path all = work.resolve("images");
    PipelineRuns.generateImages(all, largest);
    Path model = TinyClipModels.write(work.resolve("model"), TinyClipSpec.tiny(), 1);
    ClipPreprocessor pre =
        ClipPreprocessor.of(PreprocessorConfig.read(model.resolve(PreprocessorConfig.FILE_NAME)));
    try (ClipModel clip = ClipModel.load(model, ClipOptions.builder().batchSize(512).build())) {
      Path dbDir = work.resolve("caption-db");
      BuildReport db = PipelineRuns.captionDb(work, vgImages, clip, dbDir);
      System.out.printf(
          Locale.ROOT,
          "java %s, %d cores; caption db %s; tiny CLIP (32 px)%n",
          System.getProperty("java.version"),
          Runtime.getRuntime().availableProcessors(),
          db.upToDate()
              ? "reused"
              : db.captions() + " captions in " + seconds(db.wallTime()) + " s");
      run(work, all, dbDir, clip, pre, Math.min(500, largest), "warm-up");
      List<String> rows = new ArrayList<>();
      for (int n : sizes) {
        BuildReport r = run(work, all, dbDir, clip, pre, n, "n" + n);
        rows.add(row(n, r));
        System.out.println(rows.get(rows.size() - 1));
      }
      System.out.println();
      System.out.println("| images | wall s | ms/image | images/s | per image, ms: step (busy) |");
      System.out.println("|---|---|---|---|---|");
      rows.forEach(System.out::println);
    }
  }

  private static BuildReport run(
      Path work, Path all, Path dbDir, ClipModel clip, ClipPreprocessor pre, int n, String label)
      throws IOException {
    Path images = work.resolve("images-" + n);
    if (!Files.exists(images)) {
      // The first n generated files, linked: every size reads the same pictures.
      Files.createDirectories(images);
      try (Stream<Path> files = Files.list(all)) {
        for (Path f : files.sorted().limit(n).toList()) {
          Files.createSymbolicLink(images.resolve(f.getFileName()), f);
        }
      }
    }
    Path out = work.resolve("out-" + label);
    PipelineRuns.deleteTree(out);
    return ContextBuilder.forImageFolder(images)
        .captionDb(dbDir.resolve("caption_db.hdf5"))
        .imageEncoder(clip.imageEncoder())
        .preprocessor(pre)
        .output(out)
        .stages(Stage.VISUAL, Stage.TEXTUAL)
        .batchSize(16)
        .build();
  }

  private static String row(int n, BuildReport r) {
    double wall = r.wallTime().toNanos() / 1e9;
    StringBuilder steps = new StringBuilder();
    for (Map.Entry<String, Duration> e : r.timings().entrySet()) {
      steps.append(String.format(
          Locale.ROOT, "%s%s %.2f", steps.length() == 0 ? "" : "; ", e.getKey(),
          e.getValue().toNanos() / 1e6 / n));
    }
    return String.format(
        Locale.ROOT, "| %d | %.1f | %.2f | %.1f | %s |", n, wall, 1000 * wall / n,
        r.imagesPerSecond(), steps);
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f", d.toNanos() / 1e9);
  }
}
