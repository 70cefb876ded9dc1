package org.ctx4j.testing;

import com.google.common.base.Preconditions;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The architecture of a generated CLIP model (see {@link TinyClipModels}). {@link #tiny()} is small
 * enough for unit tests; {@link #vitB32()} has ViT-B/32's exact sizes (and FLOPs) for benchmarks.
 *
 * @param visionHidden vision width
 * @param visionLayers vision encoder layers
 * @param visionHeads vision attention heads
 * @param visionIntermediate vision MLP width
 * @param imageSize input side in pixels
 * @param patchSize patch side in pixels
 * @param textHidden text width
 * @param textLayers text encoder layers
 * @param textHeads text attention heads
 * @param textIntermediate text MLP width
 * @param maxPositions text context length
 * @param projectionDim shared embedding width
 * @param hiddenAct MLP activation ({@code quick_gelu}, {@code gelu}, {@code gelu_new})
 * @param weightType safetensors dtype of the weights: {@code F32}, {@code F16} or {@code BF16}
 * @param vocabularyDir a directory with the real {@code vocab.json} and {@code merges.txt} to copy,
 *     or null to generate a tiny vocabulary (all 256 bytes plus a few hundred merges)
 */
public record TinyClipSpec(
    int visionHidden,
    int visionLayers,
    int visionHeads,
    int visionIntermediate,
    int imageSize,
    int patchSize,
    int textHidden,
    int textLayers,
    int textHeads,
    int textIntermediate,
    int maxPositions,
    int projectionDim,
    String hiddenAct,
    String weightType,
    Path vocabularyDir) {

  /** Checks that the sizes fit together (widths divisible by heads, image by patch). */
  /** CLIP's text context: 77 tokens. */
  static final int CONTEXT_LENGTH = 77;

  public TinyClipSpec {
    Preconditions.checkArgument(
        visionHidden % visionHeads == 0, "visionHidden (%s) %% visionHeads (%s) != 0",
        visionHidden, visionHeads);
    Preconditions.checkArgument(
        textHidden % textHeads == 0, "textHidden (%s) %% textHeads (%s) != 0", textHidden,
        textHeads);
    Preconditions.checkArgument(
        imageSize % patchSize == 0, "imageSize (%s) %% patchSize (%s) != 0", imageSize, patchSize);
    Preconditions.checkArgument(
        weightType.equals("F32") || weightType.equals("F16") || weightType.equals("BF16"),
        "weightType (%s) must be F32, F16 or BF16", weightType);
  }

  /**
   * A few-kilobyte model: 32×32 images in 8×8 patches, width 32 (vision) / 24 (text), two layers,
   * context 77, projection 16, quick_gelu, float32, generated vocabulary.
   */
  public static TinyClipSpec tiny() {
    return new TinyClipSpec(
        32, 2, 4, 64, 32, 8, 24, 2, 3, 48, CONTEXT_LENGTH, 16,
        "quick_gelu", "F32", null);
  }

  /** ViT-B/32's sizes (768/12/12/3072, 224 px in 32 px patches; text 512/12/8/2048; 512). */
  public static TinyClipSpec vitB32() {
    return new TinyClipSpec(
        768, 12, 12, 3072, 224, 32, 512, 12, 8, 2048, CONTEXT_LENGTH, 512,
        "quick_gelu", "F32", null);
  }

  /** The same with the real vocabulary copied from {@code dir} ({@code vocab.json}, {@code merges.txt}). */
  public TinyClipSpec withVocabulary(Path dir) {
    return new TinyClipSpec(
        visionHidden, visionLayers, visionHeads, visionIntermediate, imageSize, patchSize,
        textHidden, textLayers, textHeads, textIntermediate, maxPositions, projectionDim,
        hiddenAct, weightType, Preconditions.checkNotNull(dir, "dir"));
  }

  /** The same with weights stored as {@code type} (F32, F16 or BF16). */
  public TinyClipSpec withWeightType(String type) {
    return new TinyClipSpec(
        visionHidden, visionLayers, visionHeads, visionIntermediate, imageSize, patchSize,
        textHidden, textLayers, textHeads, textIntermediate, maxPositions, projectionDim,
        hiddenAct, type, vocabularyDir);
  }

  /** The same with another MLP activation. */
  public TinyClipSpec withHiddenAct(String act) {
    return new TinyClipSpec(
        visionHidden, visionLayers, visionHeads, visionIntermediate, imageSize, patchSize,
        textHidden, textLayers, textHeads, textIntermediate, maxPositions, projectionDim,
        act, weightType, vocabularyDir);
  }

  /** The vocabulary to copy, if any. */
  public Optional<Path> vocabulary() {
    return Optional.ofNullable(vocabularyDir);
  }
}
