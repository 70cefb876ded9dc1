package org.ctx4j.clip.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import java.util.ArrayList;
import java.util.List;

/**
 * CLIP's stack of pre-LN encoder layers: {@code h += attn(ln1(h)); h += mlp(ln2(h))}. The q, k and
 * v projections are fused into one matrix at load time and q's rows are pre-multiplied by {@code
 * 1/sqrt(headDim)} (a power of two for CLIP's 64-wide heads, so exact), which saves two matmuls'
 * worth of dispatch per layer and the separate scaling pass.
 *
 * <p>Every result of {@link #forward} belongs to the manager of its input, never to the weights'.
 */
final class TransformerEncoder {

  /** The MLP activations CLIP configs use. */
  enum Act {
    QUICK_GELU,
    GELU,
    GELU_TANH;

    static Act of(String configValue, String where) {
      switch (configValue) {
        case "quick_gelu":
          return QUICK_GELU;
        case "gelu":
          return GELU;
        case "gelu_new":
        case "gelu_pytorch_tanh":
          return GELU_TANH;
        default:
          throw new IllegalArgumentException(
              "unsupported hidden_act '" + configValue + "' in " + where
                  + " (supported: quick_gelu, gelu, gelu_new, gelu_pytorch_tanh)");
      }
    }
  }

  private record Layer(
      NDArray ln1Scale,
      NDArray ln1Shift,
      NDArray qkvWeight,
      NDArray qkvBias,
      NDArray outWeight,
      NDArray outBias,
      NDArray ln2Scale,
      NDArray ln2Shift,
      NDArray fc1Weight,
      NDArray fc1Bias,
      NDArray fc2Weight,
      NDArray fc2Bias) {}

  private final List<Layer> layers;
  private final int hidden;
  private final int heads;
  private final float eps;
  private final Act act;

  private TransformerEncoder(List<Layer> layers, int hidden, int heads, float eps, Act act) {
    this.layers = layers;
    this.hidden = hidden;
    this.heads = heads;
    this.eps = eps;
    this.act = act;
  }

  static TransformerEncoder load(
      WeightLoader w, String tower, int numLayers, int hidden, int intermediate, int heads,
      double eps, Act act) {
    float scale = (float) (1.0 / Math.sqrt((double) hidden / heads));
    List<Layer> layers = new ArrayList<>(numLayers);
    for (int i = 0; i < numLayers; i++) {
      String p = CheckpointLayout.layerPrefix(tower, i);
      float[] q = w.floats(p + "self_attn.q_proj.weight", hidden, hidden);
      float[] k = w.floats(p + "self_attn.k_proj.weight", hidden, hidden);
      float[] v = w.floats(p + "self_attn.v_proj.weight", hidden, hidden);
      float[] qb = w.floats(p + "self_attn.q_proj.bias", hidden);
      float[] kb = w.floats(p + "self_attn.k_proj.bias", hidden);
      float[] vb = w.floats(p + "self_attn.v_proj.bias", hidden);
      layers.add(
          new Layer(
              w.load(p + "layer_norm1.weight", hidden),
              w.load(p + "layer_norm1.bias", hidden),
              w.toNative(concatScaledFirst(q, k, v, scale), 3L * hidden, hidden),
              w.toNative(concatScaledFirst(qb, kb, vb, scale), 3L * hidden),
              w.load(p + "self_attn.out_proj.weight", hidden, hidden),
              w.load(p + "self_attn.out_proj.bias", hidden),
              w.load(p + "layer_norm2.weight", hidden),
              w.load(p + "layer_norm2.bias", hidden),
              w.load(p + "mlp.fc1.weight", intermediate, hidden),
              w.load(p + "mlp.fc1.bias", intermediate),
              w.load(p + "mlp.fc2.weight", hidden, intermediate),
              w.load(p + "mlp.fc2.bias", hidden)));
    }
    return new TransformerEncoder(layers, hidden, heads, (float) eps, act);
  }

  private static float[] concatScaledFirst(float[] q, float[] k, float[] v, float scale) {
    float[] out = new float[q.length + k.length + v.length];
    for (int i = 0; i < q.length; i++) {
      out[i] = q[i] * scale;
    }
    System.arraycopy(k, 0, out, q.length, k.length);
    System.arraycopy(v, 0, out, q.length + k.length, v.length);
    return out;
  }

  /**
   * Which rows of a hidden-state matrix form which sequence. Rows may be <em>packed</em>: each
   * sequence's tokens back to back, no padding. Attention then runs on a padded {@code [batch,
   * length]} view gathered from them and scattered back, so that the projections, layernorms and
   * MLPs, nearly all of the work, touch real tokens only (Visual Genome phrases differ in
   * length). A padded row repeats a real row of its sequence; with the causal mask no real token
   * ever attends to it, and its output is dropped when scattering back.
   *
   * @param toPadded {@code [batch * length]} row indices into the packed rows, or null when the
   *     rows are already the padded layout (every sequence {@code length} long)
   * @param toPacked {@code [rows]} indices into the padded view, or null likewise
   * @param pooled the rows whose final states the caller needs (packed coordinates)
   */
  record Sequences(int batch, int length, NDArray toPadded, NDArray toPacked, NDArray pooled) {}

  /**
   * Runs all layers on {@code h} ({@code [rows, hidden]}, laid out as {@code seq} says); {@code
   * mask} ({@code [length, length]}, added to the attention scores) may be null. Returns the final
   * states of {@code seq.pooled()} rows only: the last layer needs keys and values of every token
   * but computes its output projection and MLP just for those rows (three quarters of that layer,
   * a sixteenth of a 12-layer tower).
   */
  NDArray forward(NDArray h, Sequences seq, NDArray mask) {
    NDArray current = h;
    for (int i = 0; i < layers.size(); i++) {
      boolean last = i == layers.size() - 1;
      NDArray next = layer(current, layers.get(i), seq, mask, last);
      if (current != h) {
        current.close(); // the caller's input stays theirs
      }
      current = next;
    }
    return current;
  }

  private NDArray layer(NDArray h, Layer w, Sequences seq, NDArray mask, boolean last) {
    long batch = seq.batch();
    long length = seq.length();
    long headDim = hidden / heads;

    NDArray x = layerNorm(h, w.ln1Scale(), w.ln1Shift());
    NDArray qkv = Linear.linear(x, w.qkvWeight(), w.qkvBias()).singletonOrThrow();
    x.close();
    if (seq.toPadded() != null) {
      NDArray padded = qkv.get(seq.toPadded());
      qkv.close();
      qkv = padded;
    }
    // [batch, length, 3, heads, headDim] -> [3, batch, heads, length, headDim]
    NDArray split = qkv.reshape(batch, length, 3, heads, headDim).transpose(2, 0, 3, 1, 4);
    qkv.close();
    NDArray q = split.get(0);
    NDArray kT = split.get(1).transpose(0, 1, 3, 2);
    NDArray v = split.get(2);
    NDArray scores = q.matMul(kT);
    if (mask != null) {
      scores.addi(mask);
    }
    NDArray probs = scores.softmax(-1);
    scores.close();
    NDArray context = probs.matMul(v).transpose(0, 2, 1, 3).reshape(batch * length, hidden);
    probs.close();
    NDArray residual = h;
    if (last) {
      // Only the pooled rows go on: their context rows in the padded view, their states in h.
      NDArray padRows = seq.toPacked() == null ? seq.pooled() : seq.toPacked().get(seq.pooled());
      NDArray picked = context.get(padRows);
      context.close();
      context = picked;
      residual = h.get(seq.pooled());
    } else if (seq.toPacked() != null) {
      NDArray packed = context.get(seq.toPacked());
      context.close();
      context = packed;
    }
    NDArray attended = Linear.linear(context, w.outWeight(), w.outBias()).singletonOrThrow();
    context.close();
    NDArray h1 = attended.addi(residual);
    if (residual != h) {
      residual.close();
    }

    NDArray y = layerNorm(h1, w.ln2Scale(), w.ln2Shift());
    NDArray up = Linear.linear(y, w.fc1Weight(), w.fc1Bias()).singletonOrThrow();
    y.close();
    NDArray activated = activate(up);
    up.close();
    NDArray down = Linear.linear(activated, w.fc2Weight(), w.fc2Bias()).singletonOrThrow();
    activated.close();
    NDArray out = down.addi(h1);
    h1.close();
    return out;
  }

  NDArray layerNorm(NDArray x, NDArray scale, NDArray shift) {
    return LayerNorm.layerNorm(x, new Shape(hidden), scale, shift, eps).singletonOrThrow();
  }

  private NDArray activate(NDArray x) {
    switch (act) {
      case QUICK_GELU:
        NDArray scaled = x.mul(1.702f);
        NDArray gate = Activation.sigmoid(scaled);
        scaled.close();
        return gate.muli(x); // x * sigmoid(1.702 x)
      case GELU:
        return Activation.gelu(x);
      default:
        // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
        NDArray inner = x.pow(3).muli(0.044715f).addi(x).muli((float) Math.sqrt(2 / Math.PI));
        NDArray tanh = inner.tanh();
        inner.close();
        return tanh.addi(1f).muli(x).muli(0.5f);
    }
  }

}
