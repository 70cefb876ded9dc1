package org.ctx4j.benchmarks.pipeline;

import com.google.common.io.MoreFiles;
import com.google.common.io.RecursiveDeleteOption;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.ctx4j.clip.ClipModel;
import org.ctx4j.core.BuildReport;
import org.ctx4j.core.ContextBuilder;
import org.ctx4j.testing.VisualGenomeGenerator;

/** What the whole-build benchmarks share: generated photos, a synthetic caption db, clean-up. */
public final class PipelineRuns {
  private PipelineRuns() {}

  /**
   * Builds (or reuses) the caption db in {@code dbDir} from a synthetic real-size Visual Genome of
   * {@code vgImages} images under {@code work} (≈ 32 captions per image).
   */
  public static BuildReport captionDb(Path work, int vgImages, ClipModel clip, Path dbDir)
      throws IOException {
    Path vg = work.resolve("visual_genome");
    if (!Files.exists(vg.resolve("relationships.json"))) {
      Files.createDirectories(vg);
      VisualGenomeGenerator.realSize(1)
          .write(vg.resolve("attributes.json"), vg.resolve("relationships.json"), vgImages);
    }
    return ContextBuilder.forCaptionDb()
        .visualGenome(vg)
        .textEncoder(clip.textEncoder())
        .output(dbDir)
        .captionBatchSize(2048)
        .build();
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

  public static void deleteTree(Path dir) throws IOException {
    if (Files.exists(dir)) {
      MoreFiles.deleteRecursively(dir, RecursiveDeleteOption.ALLOW_INSECURE);
    }
  }
}
