package org.ctx4j.benchmarks.pipeline;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.ctx4j.clip.ClipModel;
import org.ctx4j.clip.ClipOptions;
import org.ctx4j.core.BuildReport;
import org.ctx4j.core.ClipPreprocessor;
import org.ctx4j.core.ContextBuilder;
import org.ctx4j.core.PreprocessorConfig;
import org.ctx4j.core.Stage;
import org.ctx4j.testing.TinyClipModels;
import org.ctx4j.testing.TinyClipSpec;
import org.ctx4j.testing.VisualGenomeGenerator;

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
    generateImages(imageDir, images);
    Path model =
        TinyClipModels.write(work.resolve("model-224"), tinyAt224(), 1);
    Path vg = work.resolve("visual_genome");
    if (!Files.exists(vg.resolve("relationships.json"))) {
      Files.createDirectories(vg);
      VisualGenomeGenerator.realSize(1)
          .write(vg.resolve("attributes.json"), vg.resolve("relationships.json"), vgImages);
    }
    ClipPreprocessor preprocessor =
        ClipPreprocessor.of(PreprocessorConfig.read(model.resolve("preprocessor_config.json")));
    // The tiny towers are dispatch-bound: batches far larger than the CPU default (32) amortise it.
    try (ClipModel clip = ClipModel.load(model, ClipOptions.builder().batchSize(512).build())) {
      Path dbDir = work.resolve("caption-db");
      BuildReport db =
          ContextBuilder.forCaptionDb()
              .visualGenome(vg)
              .textEncoder(clip.textEncoder())
              .output(dbDir)
              .captionBatchSize(2048)
              .build();
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
    deleteTree(out);
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

  /** COCO-like photos: gradients, shapes and per-pixel noise, 640×480, JPEG quality 90. */
  public static void generateImages(Path dir, int count) throws IOException {
    Files.createDirectories(dir);
    IntStream.range(0, count)
        .parallel()
        .forEach(
            i -> {
              Path file = dir.resolve(String.format(Locale.ROOT, "%012d.jpg", 1000 + i));
              if (!Files.exists(file)) {
                writeJpeg(photo(new SplittableRandom(i)), file);
              }
            });
  }

  private static BufferedImage photo(SplittableRandom r) {
    BufferedImage img = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setPaint(new GradientPaint(0, 0, randomColor(r), 640, 480, randomColor(r)));
    g.fillRect(0, 0, 640, 480);
    for (int s = 0; s < 8; s++) {
      g.setColor(randomColor(r));
      int x = r.nextInt(600);
      int y = r.nextInt(440);
      int w = 20 + r.nextInt(200);
      int h = 20 + r.nextInt(200);
      if (r.nextBoolean()) {
        g.fillOval(x, y, w, h);
      } else {
        g.fillRect(x, y, w, h);
      }
    }
    g.dispose();
    int[] px = img.getRGB(0, 0, 640, 480, null, 0, 640);
    for (int i = 0; i < px.length; i++) {
      int noise = r.nextInt(13) - 6;
      int p = px[i];
      px[i] =
          (clamp(((p >> 16) & 255) + noise) << 16)
              | (clamp(((p >> 8) & 255) + noise) << 8)
              | clamp((p & 255) + noise);
    }
    img.setRGB(0, 0, 640, 480, px, 0, 640);
    return img;
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }

  private static Color randomColor(SplittableRandom r) {
    return new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256));
  }

  private static void writeJpeg(BufferedImage img, Path file) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(0.9f);
      writer.setOutput(out);
      writer.write(null, new IIOImage(img, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    } finally {
      writer.dispose();
    }
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f", d.toNanos() / 1e9);
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    List<Path> paths = new ArrayList<>();
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(paths::add);
    }
    for (Path p : paths) {
      Files.delete(p);
    }
  }
}
