package org.ctx4j.benchmarks.retrieval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ctx4j.benchmarks.pipeline.PipelineRuns;
import org.ctx4j.clip.ClipModel;
import org.ctx4j.core.BuildReport;
import org.ctx4j.core.ContextBuilder;
import org.ctx4j.core.Stage;
import org.ctx4j.hdf5.CaptionDbWriter;
import org.ctx4j.testing.TinyClipModels;
import org.ctx4j.testing.TinyClipSpec;

/**
 * The key panel cache in a whole build (a benchmark program): the image pass of a CPU build (tiny
 * CLIP with a 512-wide projection, so retrieval has the real key width) against a caption db of
 * {@code N} random unit keys, with the panel cache beside the db (the default) and without it
 * ({@code -Dctx4j.retrieval.panelCache=false}: the mapped keys searched in place), alternated
 * {@code ROUNDS} times; the txt_ctx files of both must be identical. Prints each run's wall time
 * and the pipeline's retrieve time per image. Usage: {@code PanelCacheBuildBenchmark DIR [N]
 * [IMAGES] [ROUNDS]} (defaults 250000, 400, 3).
 */
public final class PanelCacheBuildBenchmark {
  private static final String PROPERTY = "ctx4j.retrieval.panelCache";
  private static final int DIM = 512;

  private PanelCacheBuildBenchmark() {}

  public static void main(String[] args) throws IOException {
    Path work = Path.of(args[0]);
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 250_000;
    int images = args.length > 2 ? Integer.parseInt(args[2]) : 400;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    TinyClipSpec tiny = TinyClipSpec.tiny();
    TinyClipSpec spec = new TinyClipSpec(tiny.visionHidden(), tiny.visionLayers(),
        tiny.visionHeads(), tiny.visionIntermediate(), tiny.imageSize(), tiny.patchSize(),
        tiny.textHidden(), tiny.textLayers(), tiny.textHeads(), tiny.textIntermediate(),
        tiny.maxPositions(), DIM, tiny.hiddenAct(), tiny.weightType(), null);
    Path model = work.resolve("model");
    if (!Files.exists(model)) {
      TinyClipModels.write(model, spec, 1);
    }
    Path db = work.resolve("db").resolve("caption_db-" + n + ".hdf5");
    if (!Files.exists(db)) {
      writeCaptionDb(db, n);
    }
    Path pictures = work.resolve("images-" + images);
    if (!Files.exists(pictures)) {
      PipelineRuns.generateImages(pictures, images);
    }
    try (ClipModel clip = ClipModel.load(model)) {
      System.setProperty(PROPERTY, "true");
      long t = System.nanoTime();
      build(clip, pictures, db, work.resolve("warm-up")); // makes the cache, warms the JIT
      System.out.printf(Locale.ROOT, "java %s, %d cores; %d keys x %d; %d images; warm-up with"
              + " the cache made: %.1f s%n", System.getProperty("java.version"),
          Runtime.getRuntime().availableProcessors(), n, DIM, images,
          (System.nanoTime() - t) / 1e9);
      List<String> rows = new ArrayList<>();
      for (int r = 1; r <= rounds; r++) {
        for (boolean cached : new boolean[] {true, false}) {
          System.setProperty(PROPERTY, String.valueOf(cached));
          Path out = work.resolve(cached ? "out-cached" : "out-in-place");
          BuildReport report = build(clip, pictures, db, out);
          String row = String.format(Locale.ROOT, "| %d | %s | %.1f | %.2f |", r,
              cached ? "panel cache" : "mapped, in place", seconds(report.wallTime()),
              report.timings().getOrDefault("retrieve", Duration.ZERO).toNanos() / 1e6 / images);
          rows.add(row);
          System.out.println(row);
        }
        long mismatch = Files.mismatch(work.resolve("out-cached/txt_ctx.hdf5"),
            work.resolve("out-in-place/txt_ctx.hdf5"));
        if (mismatch != -1) {
          throw new IllegalStateException("txt_ctx differs at byte " + mismatch);
        }
      }
      System.out.println();
      System.out.println("| round | keys | wall s | retrieve ms/image |");
      System.out.println("|---|---|---|---|");
      rows.forEach(System.out::println);
    } finally {
      System.clearProperty(PROPERTY);
    }
  }

  private static BuildReport build(ClipModel clip, Path images, Path db, Path out)
      throws IOException {
    PipelineRuns.deleteTree(out);
    return ContextBuilder.forImageFolder(images)
        .captionDb(db)
        .imageEncoder(clip.imageEncoder())
        .preprocessor(clip.preprocessor())
        .output(out)
        .stages(Stage.VISUAL, Stage.TEXTUAL)
        .compact(true)
        .build();
  }

  /** {@code n} captions with random unit keys (seeded per chunk) and zero features. */
  private static void writeCaptionDb(Path file, int n) throws IOException {
    Files.createDirectories(file.getParent());
    int featureDim = 8;
    int chunk = 10_000;
    try (CaptionDbWriter w = CaptionDbWriter.create(file, n, DIM, featureDim, Map.of())) {
      for (int first = 0; first < n; first += chunk) {
        int rows = Math.min(chunk, n - first);
        List<String> captions = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
          captions.add(String.format(Locale.ROOT, "caption %09d", first + i));
        }
        w.append(captions, BenchmarkData.normalisedGaussians(rows, DIM, 42 + first),
            new float[rows * featureDim]);
      }
    }
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }
}
