package org.ctx4j.core;

import com.google.common.base.Preconditions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ctx4j.ImageTooSmallException;
import org.ctx4j.PreprocessorConfigException;
import org.ctx4j.core.internal.image.PillowResizer;

/**
 * CLIP pixel preprocessing of one crop, bit-compatible with HuggingFace transformers 4.17's {@code
 * CLIPFeatureExtractor} on a Pillow 9.4 image:
 *
 * <ol>
 *   <li>crop {@code box} out of the image (Pillow {@code Image.crop}: black outside the image);
 *   <li>resize so the short side is {@code shortestEdge}, the long side {@code
 *       int(size·long/short)} (no resize when the short side already has that length), Pillow
 *       BICUBIC;
 *   <li>center-crop {@code cropSize²} at {@code top = int((H - crop + 1)·0.5)}, {@code left =
 *       int((W - crop + 1)·0.5)} (black where the resized image is smaller);
 *   <li>{@code (u / 255f - mean) / std} in float32, written channel-first (CHW).
 * </ol>
 *
 * <p>Immutable and thread-safe; each call allocates one {@code 3·cropSize²} byte buffer.
 */
public final class ClipPreprocessor {
  private static final ClipPreprocessor DEFAULTS =
      new ClipPreprocessor(PreprocessorConfig.clipVitB32());

  private final PreprocessorConfig config;
  private final int shortestEdge;
  private final int cropSize;

  /**
   * {@code (u / 255f - mean[c]) / std[c]} for every channel c and byte value u, as numpy does it.
   */
  private final float[] normalized = new float[3 * 256];

  private ClipPreprocessor(PreprocessorConfig config) {
    this.config = config;
    this.shortestEdge = config.shortestEdge();
    this.cropSize = config.cropSize();
    float[] mean = config.mean();
    float[] std = config.std();
    for (int c = 0; c < 3; c++) {
      for (int u = 0; u < 256; u++) {
        // transformers 4.17: image.astype(float32) / 255.0, then (image - mean) / std, all float32.
        float scaled = (float) u / 255f;
        normalized[c * 256 + u] = (scaled - mean[c]) / std[c];
      }
    }
  }

  /** CLIP ViT-B/32 settings: short side 224, crop 224, OpenAI CLIP mean and std. */
  public static ClipPreprocessor defaults() {
    return DEFAULTS;
  }

  /**
   * The preprocessing a HuggingFace model directory declares in its {@code
   * preprocessor_config.json}, or {@link #defaults()} (CLIP ViT-B/32's) when it has none.
   *
   * @throws PreprocessorConfigException naming the file and field if the file is invalid
   */
  public static ClipPreprocessor forModel(Path modelDir) {
    Path config = modelDir.resolve(PreprocessorConfig.FILE_NAME);
    return Files.isRegularFile(config) ? of(PreprocessorConfig.read(config)) : defaults();
  }

  /** A preprocessor with the given settings. */
  public static ClipPreprocessor of(PreprocessorConfig config) {
    return new ClipPreprocessor(Preconditions.checkNotNull(config, "config"));
  }

  /** The settings. */
  public PreprocessorConfig config() {
    return config;
  }

  /** Side of the square output in pixels ({@code cropSize}, 224 by default). */
  public int outputSize() {
    return cropSize;
  }

  /** Floats one call writes: {@code 3·outputSize²}. */
  public int outputLength() {
    return 3 * cropSize * cropSize;
  }

  /**
   * Preprocesses the {@code box} crop of {@code image} into {@code dst[dstOffset .. dstOffset +
   * outputLength())} as CHW float32.
   *
   * @throws IllegalArgumentException if {@code dst} is too short for the output at {@code
   *     dstOffset}
   */
  public void preprocess(RgbImage image, CropBox box, float[] dst, int dstOffset) {
    Preconditions.checkArgument(
        dstOffset >= 0 && dst.length - dstOffset >= outputLength(),
        "dst (length %s) has no room for %s floats at offset %s",
        dst.length,
        outputLength(),
        dstOffset);
    byte[] pixels = resizeAndCrop(image, box);
    int plane = cropSize * cropSize;
    for (int p = 0, s = 0; p < plane; p++, s += 3) {
      dst[dstOffset + p] = normalized[pixels[s] & 0xFF];
      dst[dstOffset + plane + p] = normalized[256 + (pixels[s + 1] & 0xFF)];
      dst[dstOffset + 2 * plane + p] = normalized[512 + (pixels[s + 2] & 0xFF)];
    }
  }

  /** Preprocesses the {@code box} crop of {@code image} into a new CHW float32 array. */
  public float[] preprocess(RgbImage image, CropBox box) {
    float[] dst = new float[outputLength()];
    preprocess(image, box, dst, 0);
    return dst;
  }

  /**
   * Preprocesses every crop of {@code strategy} ({@link CropStrategy#boxes}, in its order) into
   * consecutive slots of {@code dst} starting at {@code dstOffset}.
   *
   * @return how many crops were written ({@code strategy.count()})
   * @throws ImageTooSmallException if the image is too small for the strategy (nothing written)
   * @throws IllegalArgumentException if {@code dst} has no room for all crops at {@code dstOffset}
   */
  public int preprocess(RgbImage image, CropStrategy strategy, float[] dst, int dstOffset) {
    List<CropBox> boxes = strategy.boxes(image.width(), image.height());
    Preconditions.checkArgument(
        dstOffset >= 0 && dst.length - dstOffset >= (long) boxes.size() * outputLength(),
        "dst (length %s) has no room for %s crops of %s floats at offset %s",
        dst.length,
        boxes.size(),
        outputLength(),
        dstOffset);
    for (int i = 0; i < boxes.size(); i++) {
      preprocess(image, boxes.get(i), dst, dstOffset + i * outputLength());
    }
    return boxes.size();
  }

  /**
   * Steps 1–3 only: the resized, center-cropped crop as interleaved 8-bit RGB ({@code outputSize² ·
   * 3} bytes), before normalisation. This is what Pillow hands to numpy.
   */
  public byte[] resizeAndCrop(RgbImage image, CropBox box) {
    Preconditions.checkNotNull(image, "image");
    Preconditions.checkNotNull(box, "box");
    int width = box.width();
    int height = box.height();
    int resizedWidth = width;
    int resizedHeight = height;
    int shortSide = Math.min(width, height);
    if (shortSide != shortestEdge) {
      int longSide = Math.max(width, height);
      // Python: int(size * long / short): exact integer product, one correctly rounded division.
      int newLong = (int) ((double) ((long) shortestEdge * longSide) / shortSide);
      if (width <= height) {
        resizedWidth = shortestEdge;
        resizedHeight = newLong;
      } else {
        resizedWidth = newLong;
        resizedHeight = shortestEdge;
      }
    }
    int top = (int) ((resizedHeight - cropSize + 1) * 0.5);
    int left = (int) ((resizedWidth - cropSize + 1) * 0.5);
    byte[] out = new byte[3 * cropSize * cropSize];
    PillowResizer.cropResizeWindow(
        image.rgb(),
        image.width(),
        image.height(),
        box.left(),
        box.top(),
        width,
        height,
        resizedWidth,
        resizedHeight,
        left,
        top,
        cropSize,
        out);
    return out;
  }
}
