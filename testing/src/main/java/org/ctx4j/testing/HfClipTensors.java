package org.ctx4j.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * The tensors of a HuggingFace {@code CLIPModel} checkpoint for a {@link TinyClipSpec}, in the
 * order the generator writes them (text tower, then vision tower), with names as in transformers'
 * {@code modeling_clip.py} (its {@code pre_layrnorm} spelling included).
 *
 * <p>Written here independently of clip-djl's own table of the layout that its loader checks
 * files against: if the two ever disagreed on a name or shape, loading a generated model would
 * fail, rather than a shared mistake passing unnoticed.
 */
final class HfClipTensors {
  private HfClipTensors() {}

  /** What a tensor is, which decides how the generator initialises it. */
  enum Role {
    WEIGHT,
    BIAS,
    NORM_SCALE,
    NORM_SHIFT
  }

  record Tensor(String name, long[] shape, Role role) {
    int size() {
      long n = 1;
      for (long d : shape) {
        n *= d;
      }
      return Math.toIntExact(n);
    }
  }

  static List<Tensor> of(TinyClipSpec s, int vocabSize) {
    List<Tensor> t = new ArrayList<>();
    String text = "text_model.";
    long d = s.textHidden();
    t.add(new Tensor(text + "embeddings.token_embedding.weight", new long[] {vocabSize, d}, Role.WEIGHT));
    t.add(new Tensor(text + "embeddings.position_embedding.weight", new long[] {s.maxPositions(), d}, Role.WEIGHT));
    for (int i = 0; i < s.textLayers(); i++) {
      layer(t, text + "encoder.layers." + i + ".", d, s.textIntermediate());
    }
    norm(t, text + "final_layer_norm", d);
    t.add(new Tensor("text_projection.weight", new long[] {s.projectionDim(), d}, Role.WEIGHT));

    String vision = "vision_model.";
    long v = s.visionHidden();
    t.add(new Tensor(vision + "embeddings.class_embedding", new long[] {v}, Role.WEIGHT));
    t.add(new Tensor(vision + "embeddings.patch_embedding.weight",
        new long[] {v, 3, s.patchSize(), s.patchSize()}, Role.WEIGHT));
    t.add(new Tensor(vision + "embeddings.position_embedding.weight",
        new long[] {TinyClipModels.visionPositions(s), v}, Role.WEIGHT));
    norm(t, vision + "pre_layrnorm", v);
    for (int i = 0; i < s.visionLayers(); i++) {
      layer(t, vision + "encoder.layers." + i + ".", v, s.visionIntermediate());
    }
    norm(t, vision + "post_layernorm", v);
    t.add(new Tensor("visual_projection.weight", new long[] {s.projectionDim(), v}, Role.WEIGHT));
    return t;
  }

  private static void layer(List<Tensor> t, String prefix, long d, long intermediate) {
    for (String proj : List.of("q_proj", "k_proj", "v_proj", "out_proj")) {
      t.add(new Tensor(prefix + "self_attn." + proj + ".weight", new long[] {d, d}, Role.WEIGHT));
      t.add(new Tensor(prefix + "self_attn." + proj + ".bias", new long[] {d}, Role.BIAS));
    }
    norm(t, prefix + "layer_norm1", d);
    t.add(new Tensor(prefix + "mlp.fc1.weight", new long[] {intermediate, d}, Role.WEIGHT));
    t.add(new Tensor(prefix + "mlp.fc1.bias", new long[] {intermediate}, Role.BIAS));
    t.add(new Tensor(prefix + "mlp.fc2.weight", new long[] {d, intermediate}, Role.WEIGHT));
    t.add(new Tensor(prefix + "mlp.fc2.bias", new long[] {d}, Role.BIAS));
    norm(t, prefix + "layer_norm2", d);
  }

  private static void norm(List<Tensor> t, String prefix, long d) {
    t.add(new Tensor(prefix + ".weight", new long[] {d}, Role.NORM_SCALE));
    t.add(new Tensor(prefix + ".bias", new long[] {d}, Role.NORM_SHIFT));
  }
}
