package org.ctx4j.benchmarks.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
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
 * End-to-end pipeline throughput: COCO-like 640×480 JPEGs → 15 crops → CLIP preprocessing at 224 →
 * a tiny CLIP vision tower (224 px input, 32 px patches, width 32) → exact top-16 over a caption db
 * of ≥ 100,000 captions → vis_ctx + txt_ctx. Prints images/s and the busy time per pipeline step,
 * for each thread count given. A whole build is seconds to minutes, so this is a program, not a
 * JMH benchmark; each configuration runs into a fresh output directory after one warm-up build.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.ctx4j.benchmarks.pipeline.PipelineBenchmark \
 *     [work dir (/tmp/ctx4j-pipeline-bench)] [images (2000)] [VG images (3300)] [threads (1,2)]
 * </pre>
 *
 * The peer, {@code benchmarks/peers/pipeline_pillow.py}, runs the original's per-image data path
 * (Pillow decode, 15 views, HF 4.17 preprocessing) over the same files.
 */
public final class PipelineBenchmark {
  private PipelineBenchmark() {}

  public static void main(String[] args) throws IOException {
    Path work = Path.of(args.length > 0 ? args[0] : "/tmp/ctx4j-pipeline-bench");
    int images = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    int vgImages = args.length > 2 ? Integer.parseInt(args[2]) : 3300;
    int[] threadCounts =
        Stream.of((args.length > 3 ? args[3] : "1,2").split(","))
            .mapToInt(Integer::parseInt)
            .toArray();

    Path imageDir = work.resolve("images");
    PipelineRuns.generateImages(imageDir, images);
    Path model =
        TinyClipModels.write(work.resolve("model-224"), tinyAt224(), 1);
    ClipPreprocessor preprocessor =
        ClipPreprocessor.of(PreprocessorConfig.read(model.resolve("preprocessor_config.json")));
    // The tiny towers are dispatch-bound: batches far larger than the CPU default (32) amortise it.
    try (ClipModel clip = ClipModel.load(model, ClipOptions.builder().batchSize(512).build())) {
      Path dbDir = work.resolve("caption-db");
      BuildReport db = PipelineRuns.captionDb(work, vgImages, clip, dbDir);
      System.out.printf(
          Locale.ROOT,
          "caption db: %s (%s)%n",
          dbDir.resolve("caption_db.hdf5"),
          db.upToDate() ? "reused" : db.captions() + " captions in " + seconds(db.wallTime()) + " s");

      System.out.printf(
          Locale.ROOT,
          "java %s, %d cores, max heap %d MiB, %d images 640x480 JPEG, tiny CLIP at 224 px%n",
          System.getProperty("java.version"),
          Runtime.getRuntime().availableProcessors(),
          Runtime.getRuntime().maxMemory() >> 20,
          images);
      run(work, imageDir, dbDir, clip, preprocessor, threadCounts[0], "warm-up");
      for (int threads : threadCounts) {
        BuildReport r = run(work, imageDir, dbDir, clip, preprocessor, threads, "measured");
        print(threads, r);
      }
    }
  }

  private static BuildReport run(
      Path work, Path imageDir, Path dbDir, ClipModel clip, ClipPreprocessor pre, int threads,
      String label) throws IOException {
    Path out = work.resolve("out-" + label + "-" + threads);
    PipelineRuns.deleteTree(out);
    return ContextBuilder.forImageFolder(imageDir)
        .captionDb(dbDir.resolve("caption_db.hdf5"))
        .imageEncoder(clip.imageEncoder())
        .preprocessor(pre)
        .output(out)
        .stages(Stage.VISUAL, Stage.TEXTUAL)
        .threads(threads)
        .batchSize(16)
        .build();
  }

  private static void print(int threads, BuildReport r) {
    double wall = r.wallTime().toNanos() / 1e9;
    System.out.printf(
        Locale.ROOT,
        "threads %d: %d images in %.1f s = %.1f images/s (%d captions)%n",
        threads, r.imagesWritten(), wall, r.imagesPerSecond(), r.captions());
    for (Map.Entry<String, Duration> e : r.timings().entrySet()) {
      double s = e.getValue().toNanos() / 1e9;
      System.out.printf(
          Locale.ROOT, "  %-18s %8.1f s  %5.1f%% of wall%s%n",
          e.getKey(), s, 100 * s / wall,
          e.getKey().equals("decode") || e.getKey().equals("crop + preprocess")
              ? " (summed over " + threads + " workers)" : "");
    }
  }

  /** The tiny spec with CLIP ViT-B/32's input geometry (224 px, 32 px patches). */
  public static TinyClipSpec tinyAt224() {
    TinyClipSpec t = TinyClipSpec.tiny();
    return new TinyClipSpec(
        t.visionHidden(), t.visionLayers(), t.visionHeads(), t.visionIntermediate(), 224, 32,
        t.textHidden(), t.textLayers(), t.textHeads(), t.textIntermediate(), t.maxPositions(),
        t.projectionDim(), t.hiddenAct(), t.weightType(), null);
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f", d.toNanos() / 1e9);
  }


}
