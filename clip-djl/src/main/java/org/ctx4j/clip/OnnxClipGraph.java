package org.ctx4j.clip;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.ctx4j.clip.internal.CheckpointLayout;
import org.ctx4j.clip.internal.OnnxGraph.Attr;
import org.ctx4j.clip.internal.OnnxGraph;
import org.ctx4j.clip.internal.Safetensors;
import org.ctx4j.clip.internal.TransformerEncoder;

/**
 * A HuggingFace CLIP checkpoint's vision tower, with its projection and L2 normalisation, as an
 * ONNX graph of one fixed batch size, laid out as {@code torch.onnx.export} of transformers'
 * {@code CLIPVisionModelWithProjection} lays it out: patch Conv, class token and positions,
 * pre-layernorm, per layer LayerNormalization, q/k/v/out MatMul + Add, Softmax attention, the MLP,
 * then the class token's post-layernorm and projection. Input {@code pixel_values [B,C,S,S]};
 * outputs {@code pooled [B,hidden]} and {@code embeds [B,projection]} (unit length). Fusions are
 * left to onnxruntime's session optimisations, as for an exported model. q is scaled after its
 * projection, as HF does.
 */
final class OnnxClipGraph {
  static final String INPUT = "pixel_values";
  static final String POOLED = "pooled";
  static final String EMBEDS = "embeds";

  private OnnxClipGraph() {}

  /** Writes the vision tower of {@code weights} for batches of exactly {@code batch} images. */
  static void writeVision(Safetensors w, ClipConfig clip, int batch, Path out)
      throws IOException {
    ClipConfig.VisionConfig s = clip.vision();
    TransformerEncoder.Act act = TransformerEncoder.Act.of(s.hiddenAct(), "vision_config.hidden_act");
    OnnxGraph g = new OnnxGraph();
    long b = batch;
    int t = s.numPositions();
    int d = s.hiddenSize();
    int c = s.numChannels();
    int ps = s.patchSize();
    float eps = (float) s.layerNormEps();
    String pre = CheckpointLayout.VISION;
    String pixels = g.input(INPUT, b, c, s.imageSize(), s.imageSize());
    String conv =
        g.node("Conv",
            List.of(pixels,
                g.weight("patch", w.readFloats(pre + "embeddings.patch_embedding.weight", d, c,
                    ps, ps), d, c, ps, ps)),
            Attr.ints("kernel_shape", ps, ps), Attr.ints("strides", ps, ps));
    String patches =
        g.node("Transpose",
            List.of(g.node("Reshape", List.of(conv, g.longs(new long[] {b, d, t - 1}, 3)))),
            Attr.ints("perm", 0, 2, 1));
    String cls =
        g.node("Expand",
            List.of(g.weight("class", w.readFloats(pre + "embeddings.class_embedding", d), 1, 1, d),
                g.longs(new long[] {b, 1, d}, 3)));
    String x = g.node("Concat", List.of(cls, patches), Attr.i("axis", 1));
    x = g.node("Add", List.of(x,
        g.weight("positions", w.readFloats(pre + "embeddings.position_embedding.weight", t, d),
            t, d)));
    x = layerNorm(g, w, pre + "pre_layrnorm", x, d, eps);
    Encoder e = new Encoder(g, w, b, t, d, s.intermediateSize(), s.numHeads(), eps, act);
    for (int l = 0; l < s.numLayers(); l++) {
      x = e.layer(pre + "encoder.layers." + l + ".", x, null);
    }
    String first = g.node("Gather", List.of(x, g.longs(new long[] {0})), Attr.i("axis", 1));
    String pooled =
        g.named(POOLED, "LayerNormalization",
            List.of(first,
                g.weight("post.weight", w.readFloats(pre + "post_layernorm.weight", d), d),
                g.weight("post.bias", w.readFloats(pre + "post_layernorm.bias", d), d)),
            Attr.i("axis", -1), Attr.f("epsilon", eps));
    projectAndWrite(g, w, "visual_projection.weight", pooled, batch, d, clip.projectionDim(), out);
  }

  /** One pre-norm transformer layer as ONNX ops, shared by both towers. */
  private record Encoder(
      OnnxGraph g, Safetensors w, long batch, int length, int d, int intermediate, int heads,
      float eps, TransformerEncoder.Act act) {
    /** {@code x} through layer {@code p}; {@code mask} (added to the scores) may be null. */
    String layer(String p, String x, String mask) {
      int headDim = d / heads;
      String heads4 = g.longs(new long[] {batch, length, heads, headDim}, 4);
      String rows3 = g.longs(new long[] {batch, length, d}, 3);
      String scale = g.scalar((float) (1.0 / Math.sqrt(headDim)));
      String h = layerNorm(g, w, p + "layer_norm1", x, d, eps);
      String q = g.node("Mul", List.of(linear(g, w, p + "self_attn.q_proj", h, d, d), scale));
      String k = linear(g, w, p + "self_attn.k_proj", h, d, d);
      String v = linear(g, w, p + "self_attn.v_proj", h, d, d);
      String q4 = g.node("Transpose", List.of(g.node("Reshape", List.of(q, heads4))),
          Attr.ints("perm", 0, 2, 1, 3));
      String kT = g.node("Transpose", List.of(g.node("Reshape", List.of(k, heads4))),
          Attr.ints("perm", 0, 2, 3, 1));
      String v4 = g.node("Transpose", List.of(g.node("Reshape", List.of(v, heads4))),
          Attr.ints("perm", 0, 2, 1, 3));
      String scores = g.node("MatMul", List.of(q4, kT));
      if (mask != null) {
        scores = g.node("Add", List.of(scores, mask));
      }
      String probs = g.node("Softmax", List.of(scores), Attr.i("axis", -1));
      String context =
          g.node("Reshape", List.of(
              g.node("Transpose", List.of(g.node("MatMul", List.of(probs, v4))),
                  Attr.ints("perm", 0, 2, 1, 3)),
              rows3));
      String out = g.node("Add", List.of(x, linear(g, w, p + "self_attn.out_proj", context, d, d)));
      h = layerNorm(g, w, p + "layer_norm2", out, d, eps);
      String fc1 = linear(g, w, p + "mlp.fc1", h, d, intermediate);
      return g.node("Add", List.of(out,
          linear(g, w, p + "mlp.fc2", activation(g, act, fc1), intermediate, d)));
    }
  }

  /**
   * Writes the text tower of {@code weights} for batches of exactly {@code batch} texts padded to
   * {@code length} tokens, as an export of transformers' {@code CLIPTextModelWithProjection} runs
   * it: token and position embeddings, causal attention over the padded length, final layernorm,
   * the pooled row of each text taken at its end token. Inputs {@code input_ids [B,L]} (int64) and
   * {@code pooled_rows [B]} (int64, {@code b * L + end position}); outputs {@code pooled [B,d]} and
   * {@code embeds [B,projection]} (unit length). For peers (benchmarks); ctx4j's text route packs.
   */
  static void writeText(Safetensors w, ClipConfig clip, int batch, int length, Path out)
      throws IOException {
    ClipConfig.TextConfig s = clip.text();
    TransformerEncoder.Act act = TransformerEncoder.Act.of(s.hiddenAct(), "text_config.hidden_act");
    OnnxGraph g = new OnnxGraph();
    int d = s.hiddenSize();
    float eps = (float) s.layerNormEps();
    String pre = CheckpointLayout.TEXT;
    String ids = g.inputLongs("input_ids", batch, length);
    String rows = g.inputLongs("pooled_rows", batch);
    String x = g.node("Gather", List.of(
        g.weight("tokens", w.readFloats(pre + "embeddings.token_embedding.weight", s.vocabSize(), d),
            s.vocabSize(), d),
        ids), Attr.i("axis", 0));
    float[] positions = w.readFloats(pre + "embeddings.position_embedding.weight", s.maxPositions(), d);
    x = g.node("Add", List.of(x,
        g.weight("positions", Arrays.copyOf(positions, length * d), length, d)));
    float[] causal = new float[length * length];
    for (int i = 0; i < length; i++) {
      for (int j = i + 1; j < length; j++) {
        causal[i * length + j] = -Float.MAX_VALUE;
      }
    }
    String mask = g.weight("causal", causal, length, length);
    Encoder e = new Encoder(g, w, batch, length, d, s.intermediateSize(), s.numHeads(), eps, act);
    for (int l = 0; l < s.numLayers(); l++) {
      x = e.layer(pre + "encoder.layers." + l + ".", x, mask);
    }
    x = layerNorm(g, w, pre + "final_layer_norm", x, d, eps);
    String flat = g.node("Reshape", List.of(x, g.longs(new long[] {(long) batch * length, d}, 2)));
    String pooled = g.named(POOLED, "Gather", List.of(flat, rows), Attr.i("axis", 0));
    projectAndWrite(g, w, "text_projection.weight", pooled, batch, d, clip.projectionDim(), out);
  }

  /**
   * The end both towers share: {@code pooled [B,d]} (already the graph output {@link #POOLED})
   * times the transposed {@code projection} tensor, L2-normalised into {@link #EMBEDS}; declares
   * both outputs and writes the model.
   */
  private static void projectAndWrite(OnnxGraph g, Safetensors w, String projection,
      String pooled, long batch, int d, int proj, Path out) throws IOException {
    String projected =
        g.node("MatMul", List.of(pooled,
            g.weight("projection", transpose(w.readFloats(projection, proj, d), proj, d), d, proj)));
    String norm =
        g.node("ReduceL2", List.of(projected), Attr.ints("axes", -1), Attr.i("keepdims", 1));
    g.named(EMBEDS, "Div", List.of(projected, norm));
    g.output(POOLED, batch, d);
    g.output(EMBEDS, batch, proj);
    g.write(out);
  }

  /** The MLP's activation as ONNX ops: quick_gelu {@code x·σ(1.702x)}, gelu with Erf. */
  private static String activation(OnnxGraph g, TransformerEncoder.Act act, String x) {
    return switch (act) {
      case QUICK_GELU ->
          g.node("Mul", List.of(x, g.node("Sigmoid", List.of(
              g.node("Mul", List.of(x, g.scalar(1.702f)))))));
      case GELU -> {
        String erf = g.node("Erf", List.of(
            g.node("Div", List.of(x, g.scalar((float) Math.sqrt(2))))));
        String onePlus = g.node("Add", List.of(erf, g.scalar(1f)));
        yield g.node("Mul", List.of(
            g.node("Mul", List.of(x, onePlus)), g.scalar(0.5f)));
      }
      case GELU_TANH -> throw new IllegalArgumentException(
          "the onnxruntime route writes quick_gelu and gelu vision towers, not gelu_new");
    };
  }

  private static String layerNorm(
      OnnxGraph g, Safetensors w, String name, String x, int d, float eps) {
    return g.node("LayerNormalization",
        List.of(x, g.weight(name + ".weight", w.readFloats(name + ".weight", d), d),
            g.weight(name + ".bias", w.readFloats(name + ".bias", d), d)),
        Attr.i("axis", -1), Attr.f("epsilon", eps));
  }

  /** {@code x W^T + b} as MatMul with the transposed weight, then Add, as exporters write it. */
  private static String linear(
      OnnxGraph g, Safetensors w, String name, String x, int in, int out) {
    float[] weight = transpose(w.readFloats(name + ".weight", out, in), out, in);
    String product = g.node("MatMul", List.of(x, g.weight(name + ".weight", weight, in, out)));
    return g.node("Add",
        List.of(product, g.weight(name + ".bias", w.readFloats(name + ".bias", out), out)));
  }

  /** {@code [rows, cols]} to {@code [cols, rows]}. */
  private static float[] transpose(float[] m, int rows, int cols) {
    float[] t = new float[m.length];
    for (int r = 0; r < rows; r++) {
      for (int col = 0; col < cols; col++) {
        t[col * rows + r] = m[r * cols + col];
      }
    }
    return t;
  }
}
