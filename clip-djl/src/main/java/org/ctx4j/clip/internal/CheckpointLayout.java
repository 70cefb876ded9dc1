package org.ctx4j.clip.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The tensors of a HuggingFace {@code CLIPModel} checkpoint (names as in transformers'
 * {@code modeling_clip.py}, including its {@code pre_layrnorm} spelling) and their shapes for a
 * tower's sizes ({@link VisionShape}, {@link TextShape}: the checkpoint's {@code config.json}
 * values). The loader checks a file against it.
 */
public final class CheckpointLayout {
  private CheckpointLayout() {}

  /** What a tensor is, which decides how the generator initialises it. */
  public enum Role {
    /** A matrix or embedding table: small random values. */
    WEIGHT,
    /** A bias: small random values around zero. */
    BIAS,
    /** A layer norm's scale: around one. */
    NORM_SCALE,
    /** A layer norm's shift: small values around zero. */
    NORM_SHIFT
  }

  /** One tensor: its name, shape and role. */
  public record Tensor(String name, long[] shape, Role role) {
    /** Number of elements. */
    public int size() {
      long n = 1;
      for (long d : shape) {
        n *= d;
      }
      return Math.toIntExact(n);
    }
  }

  /**
   * The sizes that shape the vision tower's tensors.
   *
   * @param hiddenSize the embedding width
   * @param intermediateSize the MLP width
   * @param numLayers encoder layers
   * @param numPositions position embeddings (patches + 1)
   * @param numChannels input channels
   * @param patchSize patch side in pixels
   * @param projectionDim the shared embedding width of the projection
   */
  public record VisionShape(
      int hiddenSize,
      int intermediateSize,
      int numLayers,
      int numPositions,
      int numChannels,
      int patchSize,
      int projectionDim) {}

  /**
   * The sizes that shape the text tower's tensors.
   *
   * @param hiddenSize the embedding width
   * @param intermediateSize the MLP width
   * @param numLayers encoder layers
   * @param maxPositions position embeddings
   * @param vocabSize token embeddings
   * @param projectionDim the shared embedding width of the projection
   */
  public record TextShape(
      int hiddenSize,
      int intermediateSize,
      int numLayers,
      int maxPositions,
      int vocabSize,
      int projectionDim) {}

  /** Tensor-name prefix of the vision tower. */
  public static final String VISION = "vision_model.";
  /** Tensor-name prefix of the text tower. */
  public static final String TEXT = "text_model.";

  /** Every tensor the vision tower and its projection read. */
  public static List<Tensor> vision(VisionShape v) {
    List<Tensor> t = new ArrayList<>();
    long d = v.hiddenSize();
    t.add(tensor(VISION + "embeddings.class_embedding", Role.WEIGHT, d));
    t.add(tensor(VISION + "embeddings.patch_embedding.weight", Role.WEIGHT,
        d, v.numChannels(), v.patchSize(), v.patchSize()));
    t.add(tensor(VISION + "embeddings.position_embedding.weight", Role.WEIGHT,
        v.numPositions(), d));
    addNorm(t, VISION + "pre_layrnorm", d);
    for (int i = 0; i < v.numLayers(); i++) {
      addLayer(t, VISION + "encoder.layers." + i + ".", d, v.intermediateSize());
    }
    addNorm(t, VISION + "post_layernorm", d);
    t.add(tensor("visual_projection.weight", Role.WEIGHT, v.projectionDim(), d));
    return t;
  }

  /** Every tensor the text tower and its projection read. */
  public static List<Tensor> text(TextShape x) {
    List<Tensor> t = new ArrayList<>();
    long d = x.hiddenSize();
    t.add(tensor(TEXT + "embeddings.token_embedding.weight", Role.WEIGHT, x.vocabSize(), d));
    t.add(tensor(TEXT + "embeddings.position_embedding.weight", Role.WEIGHT,
        x.maxPositions(), d));
    for (int i = 0; i < x.numLayers(); i++) {
      addLayer(t, TEXT + "encoder.layers." + i + ".", d, x.intermediateSize());
    }
    addNorm(t, TEXT + "final_layer_norm", d);
    t.add(tensor("text_projection.weight", Role.WEIGHT, x.projectionDim(), d));
    return t;
  }

  /** Tensor-name prefix of encoder layer {@code i} of a tower ({@code vision_model.} etc.). */
  static String layerPrefix(String tower, int i) {
    return tower + "encoder.layers." + i + ".";
  }

  private static void addLayer(List<Tensor> t, String prefix, long d, long intermediate) {
    for (String proj : List.of("q_proj", "k_proj", "v_proj", "out_proj")) {
      t.add(tensor(prefix + "self_attn." + proj + ".weight", Role.WEIGHT, d, d));
      t.add(tensor(prefix + "self_attn." + proj + ".bias", Role.BIAS, d));
    }
    addNorm(t, prefix + "layer_norm1", d);
    t.add(tensor(prefix + "mlp.fc1.weight", Role.WEIGHT, intermediate, d));
    t.add(tensor(prefix + "mlp.fc1.bias", Role.BIAS, intermediate));
    t.add(tensor(prefix + "mlp.fc2.weight", Role.WEIGHT, d, intermediate));
    t.add(tensor(prefix + "mlp.fc2.bias", Role.BIAS, d));
    addNorm(t, prefix + "layer_norm2", d);
  }

  private static void addNorm(List<Tensor> t, String prefix, long d) {
    t.add(tensor(prefix + ".weight", Role.NORM_SCALE, d));
    t.add(tensor(prefix + ".bias", Role.NORM_SHIFT, d));
  }

  private static Tensor tensor(String name, Role role, long... shape) {
    return new Tensor(name, shape, role);
  }
}
