package org.ctx4j.clip.internal;

import java.util.ArrayList;
import java.util.List;
import org.ctx4j.clip.ClipConfig;

/**
 * The tensors of a HuggingFace {@code CLIPModel} checkpoint (names as in transformers'
 * {@code modeling_clip.py}, including its {@code pre_layrnorm} spelling) and their shapes for a
 * given config. The loader checks a file against it; the tiny-model generator fills it.
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

  static final String VISION = "vision_model.";
  static final String TEXT = "text_model.";

  /** Every tensor the vision tower and its projection read. */
  public static List<Tensor> vision(ClipConfig config) {
    ClipConfig.VisionConfig v = config.vision();
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
    t.add(tensor("visual_projection.weight", Role.WEIGHT, config.projectionDim(), d));
    return t;
  }

  /** Every tensor the text tower and its projection read. */
  public static List<Tensor> text(ClipConfig config) {
    ClipConfig.TextConfig x = config.text();
    List<Tensor> t = new ArrayList<>();
    long d = x.hiddenSize();
    t.add(tensor(TEXT + "embeddings.token_embedding.weight", Role.WEIGHT, x.vocabSize(), d));
    t.add(tensor(TEXT + "embeddings.position_embedding.weight", Role.WEIGHT,
        x.maxPositions(), d));
    for (int i = 0; i < x.numLayers(); i++) {
      addLayer(t, TEXT + "encoder.layers." + i + ".", d, x.intermediateSize());
    }
    addNorm(t, TEXT + "final_layer_norm", d);
    t.add(tensor("text_projection.weight", Role.WEIGHT, config.projectionDim(), d));
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
