package org.ctx4j.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.base.Preconditions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.ctx4j.PreprocessorConfigException;

/**
 * CLIP pixel preprocessing settings, as in a HuggingFace {@code preprocessor_config.json}: resize
 * so the short side is {@code shortestEdge} (Pillow BICUBIC), center-crop {@code cropSize²}, then
 * {@code (u/255 - mean) / std} per RGB channel.
 *
 * <p>The arrays are copied in and out: a config is immutable.
 *
 * @param shortestEdge target length of the short side after resizing, positive
 * @param cropSize side of the square center crop, positive
 * @param mean per-channel mean (R, G, B), 3 values
 * @param std per-channel standard deviation (R, G, B), 3 positive values
 */
public record PreprocessorConfig(int shortestEdge, int cropSize, float[] mean, float[] std) {

  private static final float[] CLIP_MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
  private static final float[] CLIP_STD = {0.26862954f, 0.26130258f, 0.27577711f};
  private static final int PIL_BICUBIC = 3;

  public PreprocessorConfig {
    Preconditions.checkArgument(
        shortestEdge > 0, "shortestEdge must be positive, got %s", shortestEdge);
    Preconditions.checkArgument(cropSize > 0, "cropSize must be positive, got %s", cropSize);
    Preconditions.checkArgument(mean.length == 3, "mean needs 3 values (RGB), got %s", mean.length);
    Preconditions.checkArgument(std.length == 3, "std needs 3 values (RGB), got %s", std.length);
    for (float s : std) {
      Preconditions.checkArgument(
          s > 0, "std values must be positive, got %s", Arrays.toString(std));
    }
    mean = mean.clone();
    std = std.clone();
  }

  /** The file name HuggingFace gives a model's preprocessing settings. */
  public static final String FILE_NAME = "preprocessor_config.json";

  /** CLIP ViT-B/32 ({@code openai/clip-vit-base-patch32}): 224, 224 and OpenAI's mean and std. */
  public static PreprocessorConfig clipVitB32() {
    return new PreprocessorConfig(224, 224, CLIP_MEAN, CLIP_STD);
  }

  /** Per-channel mean, a copy. */
  @Override
  public float[] mean() {
    return mean.clone();
  }

  /** Per-channel standard deviation, a copy. */
  @Override
  public float[] std() {
    return std.clone();
  }

  /**
   * Reads a HuggingFace {@code preprocessor_config.json}. Accepts the transformers 4.17 form
   * ({@code "size": 224, "crop_size": 224}) and the newer dict forms ({@code "size":
   * {"shortest_edge": 224}}, {@code "crop_size": {"height": 224, "width": 224}}). Missing {@code
   * image_mean}/{@code image_std} default to CLIP's.
   *
   * @throws PreprocessorConfigException naming the file and field when the file is unreadable or
   *     malformed, or asks for something this preprocessor does not do (a resample filter other
   *     than BICUBIC, a non-square crop, a fixed {@code height/width} resize, disabled steps)
   */
  public static PreprocessorConfig read(Path preprocessorConfigJson) {
    Path file = preprocessorConfigJson;
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new PreprocessorConfigException(file, "", "cannot read JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new PreprocessorConfigException(file, "", "expected a JSON object", null);
    }
    for (String step : new String[] {"do_resize", "do_center_crop", "do_normalize", "do_rescale"}) {
      JsonNode flag = root.get(step);
      if (flag != null && !flag.asBoolean(true)) {
        throw new PreprocessorConfigException(
            file, step, "only enabled steps are supported, got false", null);
      }
    }
    JsonNode resample = root.get("resample");
    if (resample != null && resample.asInt(-1) != PIL_BICUBIC) {
      throw new PreprocessorConfigException(
          file, "resample", "only BICUBIC (3) is supported, got " + resample, null);
    }
    JsonNode rescale = root.get("rescale_factor");
    if (rescale != null && Math.abs(rescale.asDouble() - 1 / 255.0) > 1e-12) {
      throw new PreprocessorConfigException(
          file, "rescale_factor", "only 1/255 is supported, got " + rescale, null);
    }
    int shortestEdge = readShortestEdge(file, root.get("size"));
    int cropSize = readCropSize(file, root.get("crop_size"));
    float[] mean = readTriple(file, root, "image_mean", CLIP_MEAN);
    float[] std = readTriple(file, root, "image_std", CLIP_STD);
    try {
      return new PreprocessorConfig(shortestEdge, cropSize, mean, std);
    } catch (IllegalArgumentException e) {
      throw new PreprocessorConfigException(file, "", e.getMessage(), e);
    }
  }

  private static int readShortestEdge(Path file, JsonNode size) {
    if (size == null) {
      throw new PreprocessorConfigException(file, "size", "missing", null);
    }
    if (size.isObject()) {
      if (size.has("shortest_edge")) {
        return positiveInt(file, "size.shortest_edge", size.get("shortest_edge"));
      }
      throw new PreprocessorConfigException(
          file, "size", "only {\"shortest_edge\": n} or an int is supported, got " + size, null);
    }
    return positiveInt(file, "size", size);
  }

  private static int readCropSize(Path file, JsonNode crop) {
    if (crop == null) {
      throw new PreprocessorConfigException(file, "crop_size", "missing", null);
    }
    if (crop.isObject()) {
      int height = positiveInt(file, "crop_size.height", crop.get("height"));
      int width = positiveInt(file, "crop_size.width", crop.get("width"));
      if (height != width) {
        throw new PreprocessorConfigException(
            file,
            "crop_size",
            String.format(Locale.ROOT, "only square crops are supported, got %dx%d", width, height),
            null);
      }
      return height;
    }
    return positiveInt(file, "crop_size", crop);
  }

  private static int positiveInt(Path file, String field, JsonNode node) {
    if (node == null || !node.canConvertToInt() || !node.isIntegralNumber() || node.asInt() <= 0) {
      throw new PreprocessorConfigException(
          file, field, "expected a positive integer, got " + node, null);
    }
    return node.asInt();
  }

  private static float[] readTriple(Path file, JsonNode root, String field, float[] fallback) {
    JsonNode node = root.get(field);
    if (node == null) {
      return fallback;
    }
    if (!node.isArray() || node.size() != 3) {
      throw new PreprocessorConfigException(file, field, "expected 3 numbers, got " + node, null);
    }
    float[] values = new float[3];
    for (int i = 0; i < 3; i++) {
      if (!node.get(i).isNumber()) {
        throw new PreprocessorConfigException(file, field, "expected 3 numbers, got " + node, null);
      }
      // numpy: np.array(mean).astype(float32), i.e. the double rounded once to float.
      values[i] = (float) node.get(i).asDouble();
    }
    return values;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PreprocessorConfig other
        && shortestEdge == other.shortestEdge
        && cropSize == other.cropSize
        && Arrays.equals(mean, other.mean)
        && Arrays.equals(std, other.std);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * (31 * shortestEdge + cropSize) + Arrays.hashCode(mean))
        + Arrays.hashCode(std);
  }

  @Override
  public String toString() {
    return "PreprocessorConfig[shortestEdge="
        + shortestEdge
        + ", cropSize="
        + cropSize
        + ", mean="
        + Arrays.toString(mean)
        + ", std="
        + Arrays.toString(std)
        + "]";
  }
}
