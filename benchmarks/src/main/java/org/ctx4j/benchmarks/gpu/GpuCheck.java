package org.ctx4j.benchmarks.gpu;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ctx4j.benchmarks.pipeline.PipelineRuns;
import org.ctx4j.benchmarks.retrieval.BenchmarkData;
import org.ctx4j.clip.ClipModel;
import org.ctx4j.clip.ClipOptions;
import org.ctx4j.clip.retrieval.DjlTopKIndex;
import org.ctx4j.core.BuildReport;
import org.ctx4j.core.ClipPreprocessor;
import org.ctx4j.core.ContextBuilder;
import org.ctx4j.core.ImageEncoder;
import org.ctx4j.core.PreprocessorConfig;
import org.ctx4j.core.Stage;
import org.ctx4j.core.retrieval.TopKIndex;
import org.ctx4j.core.retrieval.TopKIndexes;
import org.ctx4j.core.retrieval.TopKResult;
import org.ctx4j.testing.TinyClipModels;
import org.ctx4j.testing.TinyClipSpec;

/**
 * The GPU check of {@code benchmarks/gpu/check.sh}, one table at the end: CLIP ViT-B/32 image
 * encoding at fp16 and fp32 (random weights, the real architecture), exact top-16 over 2.25M keys
 * with the build's GPU index (checked against the CPU index on a sample of queries), and a
 * 2,000-image end-to-end build retrieving on the GPU, with the step that limits it.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.ctx4j.benchmarks.gpu.GpuCheck WORK_DIR [--dry-run]
 * </pre>
 *
 * {@code --dry-run} runs every step on the CPU at toy sizes (tiny model, 20k keys, 24 images), so
 * that the script is exercised by the test suite (GpuCheckDryRunTest) and cannot rot before a GPU
 * is lent. Exit code 2 when a real run finds no GPU.
 */
public final class GpuCheck {
  private GpuCheck() {}

  /** What a run measures, and where. */
  record Plan(
      Device device, TinyClipSpec model, int encodeBatch, int encodeBatches, int keys,
      int queries, int buildImages, int vgImages) {
    static Plan gpu() {
      return new Plan(Device.gpu(), TinyClipSpec.vitB32(), 256, 20, 2_250_000, 4096, 2000, 3300);
    }

    static Plan dryRun() {
      return new Plan(Device.cpu(), TinyClipSpec.tiny(), 16, 3, 20_000, 256, 24, 40);
    }
  }

  public static void main(String[] args) throws IOException {
    Path work = Path.of(args.length > 0 ? args[0] : "/tmp/ctx4j-gpu-check");
    boolean dryRun = List.of(args).contains("--dry-run");
    Plan plan = dryRun ? Plan.dryRun() : Plan.gpu();
    Engine engine = Engine.getEngine("PyTorch");
    System.out.printf(
        Locale.ROOT, "engine PyTorch %s, GPUs %d, %s%n", engine.getVersion(),
        engine.getGpuCount(), dryRun ? "dry run on the CPU (toy sizes)" : "on " + plan.device());
    if (!dryRun && engine.getGpuCount() == 0) {
      System.out.println("no GPU visible to DJL: see docs/gpu.md (CUDA natives)");
      System.exit(2);
    }
    Files.createDirectories(work);
    Path model = TinyClipModels.write(work.resolve(dryRun ? "model-tiny" : "model-vitb32"), plan.model(), 1);
    List<String[]> rows = new ArrayList<>();
    for (ClipOptions.Precision precision :
        List.of(ClipOptions.Precision.FP16, ClipOptions.Precision.FP32)) {
      double rate = encodeRate(model, plan, precision);
      rows.add(new String[] {
        "CLIP " + (dryRun ? "tiny" : "ViT-B/32") + " image encode, " + precision + ", batch "
            + plan.encodeBatch(),
        String.format(Locale.ROOT, "%,.0f images/s", rate),
        precision == ClipOptions.Precision.FP16 ? ">= 3,000 images/s (H100-class)" : ""});
    }
    rows.add(retrieval(plan));
    rows.add(build(work, model, plan));
    System.out.println();
    System.out.println("| check | measured | target |");
    System.out.println("|---|---|---|");
    for (String[] r : rows) {
      System.out.println("| " + String.join(" | ", r) + " |");
    }
  }

  private static double encodeRate(Path model, Plan plan, ClipOptions.Precision precision) {
    ClipOptions options =
        ClipOptions.builder().device(plan.device()).precision(precision)
            .batchSize(plan.encodeBatch()).build();
    try (ClipModel clip = ClipModel.load(model, options)) {
      ImageEncoder encoder = clip.imageEncoder();
      int size = encoder.inputSize();
      float[] pixels = BenchmarkData.normalisedGaussians(plan.encodeBatch(), 3 * size * size, 3);
      encoder.encode(pixels, plan.encodeBatch()); // warm-up: kernels, allocator
      long start = System.nanoTime();
      for (int b = 0; b < plan.encodeBatches(); b++) {
        encoder.encode(pixels, plan.encodeBatch());
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      return plan.encodeBatches() * plan.encodeBatch() / seconds;
    }
  }

  private static String[] retrieval(Plan plan) {
    int dim = 512;
    float[] keys = BenchmarkData.normalisedGaussians(plan.keys(), dim, 1);
    float[] queries = BenchmarkData.normalisedGaussians(plan.queries(), dim, 2);
    double rate;
    boolean same;
    int sample = Math.min(64, plan.queries());
    float[] first = Arrays.copyOf(queries, sample * dim);
    try (TopKIndex index = DjlTopKIndex.onDevice(plan.device()).open(keys, plan.keys(), dim)) {
      index.search(first, sample, 16); // warm-up
      long start = System.nanoTime();
      TopKResult got = index.search(queries, plan.queries(), 16);
      rate = plan.queries() / ((System.nanoTime() - start) / 1e9);
      try (TopKIndex cpu = TopKIndexes.exact(keys, plan.keys(), dim)) {
        TopKResult want = cpu.search(first, sample, 16);
        same = true;
        for (int i = 0; i < sample * 16; i++) {
          same &= want.ids()[i] == got.ids()[i] && want.scores()[i] == got.scores()[i];
        }
      }
    }
    return new String[] {
      String.format(Locale.ROOT, "exact top-16 over %,d keys (d=512), %,d queries", plan.keys(),
          plan.queries()),
      String.format(Locale.ROOT, "%,.0f queries/s; first 64 queries %s the CPU index's bits",
          rate, same ? "equal" : "DIFFER FROM"),
      "minutes for COCO (1.85M queries)"};
  }

  private static String[] build(Path work, Path model, Plan plan) throws IOException {
    Path images = work.resolve("images");
    PipelineRuns.generateImages(images, plan.buildImages());
    ClipOptions options = ClipOptions.builder().device(plan.device()).precision(
        plan.device().isGpu() ? ClipOptions.Precision.FP16 : ClipOptions.Precision.FP32).build();
    try (ClipModel clip = ClipModel.load(model, options)) {
      Path db = work.resolve("caption-db");
      PipelineRuns.captionDb(work, plan.vgImages(), clip, db);
      Path out = work.resolve("out");
      PipelineRuns.deleteTree(out);
      BuildReport r =
          ContextBuilder.forImageFolder(images)
              .captionDb(db.resolve("caption_db.hdf5"))
              .imageEncoder(clip.imageEncoder())
              .preprocessor(
                  ClipPreprocessor.of(
                      PreprocessorConfig.read(model.resolve(PreprocessorConfig.FILE_NAME))))
              .output(out)
              .stages(Stage.VISUAL, Stage.TEXTUAL)
              .batchSize(64)
              .build();
      Map<String, Duration> t = r.timings();
      double wall = r.wallTime().toNanos() / 1e9;
      double encode = seconds(t, "encode images");
      double encoderIdle = seconds(t, "encoder idle");
      String limit =
          encoderIdle > 0.25 * wall
              ? "decoding + preprocessing (encoder idle " + percent(encoderIdle, wall) + ")"
              : "the encoder (busy " + percent(encode, wall) + ")";
      String retrieval =
          new String(Files.readAllBytes(out.resolve("ctx4j-build.json")))
                  .contains("DJL exact on gpu")
              ? "GPU index"
              : "CPU index";
      return new String[] {
        String.format(Locale.ROOT, "%,d-image build (%s)", plan.buildImages(), retrieval),
        String.format(Locale.ROOT, "%.1f images/s, limited by %s", r.imagesPerSecond(), limit),
        "limited by decoding, not by the GPU"};
    }
  }

  private static double seconds(Map<String, Duration> t, String step) {
    Duration d = t.get(step);
    return d == null ? 0 : d.toNanos() / 1e9;
  }

  private static String percent(double part, double whole) {
    return String.format(Locale.ROOT, "%.0f %% of wall", 100 * part / whole);
  }
}
