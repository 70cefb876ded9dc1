package org.ctx4j.clip.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.pytorch.jni.JniUtils;
import com.google.common.math.LongMath;
import java.math.RoundingMode;
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
public final class TransformerEncoder {

  /** The MLP activations CLIP configs use. */
  public enum Act {
    QUICK_GELU,
    GELU,
    GELU_TANH;

    public static Act of(String configValue, String where) {
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

  public static TransformerEncoder load(
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

  static float[] concatScaledFirst(float[] q, float[] k, float[] v, float scale) {
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
   * sequence's tokens back to back, no padding, so that the projections, layernorms and MLPs,
   * nearly all of the work, touch real tokens only (Visual Genome phrases differ in length).
   * Attention runs per {@link Group} on a padded view gathered from the packed rows and scattered
   * back.
   *
   * <p>Why groups of fixed padded lengths (multiples of {@link #ATTENTION_PAD}) and not one view
   * padded to the batch's longest text: libtorch's batched matmul rounds a matrix's sums
   * differently with its inner dimension and with the matrix's alignment in memory (measured: 5-
   * and 7-token attention matrices of 64-wide heads differ alone and inside a batch). With each
   * text padded to a length that depends on its own length only, every attention matrix has a
   * fixed shape per text and starts 64-byte aligned, so a caption's features do not depend on which
   * captions share its batch (BatchInvarianceTest). Attention is a small share of the work for
   * short texts, so the padding costs little.
   *
   * @param groups the attention groups; their padded rows, concatenated in order, are the rows
   *     {@code toPacked} indexes
   * @param toPacked {@code [rows]} indices into the groups' concatenated padded rows giving each
   *     packed row's context, or null when the single group's rows are the packed rows
   * @param pooled the rows whose final states the caller needs, in the order wanted
   */
  public record Sequences(List<Group> groups, NDArray toPacked, NDArray pooled) {}

  /**
   * {@code count} sequences padded to {@code length} tokens: {@code toPadded} ({@code [count *
   * length]}) gives the packed row of each padded position (null: the rows are already this
   * layout); {@code mask} ({@code [length, length]}, added to the attention scores) may be null. A
   * padded position repeats a real row of its sequence; with the causal mask no real token ever
   * attends to it.
   */
  public record Group(int count, int length, NDArray toPadded, NDArray mask) {}

  /** Texts are padded to a multiple of this many tokens for attention (16 floats = 64 bytes). */
  public static final int ATTENTION_PAD = 16;

  /**
   * Below this many rows, libtorch's CPU sgemm (MKL) takes a small-matrix path whose rounding
   * depends on the row count (measured: rows of GEMMs with 1-11 rows differ from the same rows in
   * a larger one, for every CLIP layer shape, 1 or 2 threads); from 12 rows on, each row's result is
   * independent of the others. {@link #linear} pads shorter inputs to this many rows, with margin.
   */
  static final int MIN_GEMM_ROWS = 32;

  /**
   * {@code x W^T + b}, with {@code x} padded with zero rows to {@link #MIN_GEMM_ROWS} when shorter,
   * so that each row's result is the same whatever else is in the batch. Costs nothing for batches
   * of 32+ rows; only small last chunks and pooled rows pay.
   */
  public static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
    long rows = x.getShape().get(0);
    if (rows >= MIN_GEMM_ROWS) {
      return Linear.linear(x, weight, bias).singletonOrThrow();
    }
    NDArray padding = x.getManager().zeros(new Shape(MIN_GEMM_ROWS - rows, x.getShape().get(1)),
        x.getDataType());
    NDArray padded = x.concat(padding, 0);
    padding.close();
    NDArray full = Linear.linear(padded, weight, bias).singletonOrThrow();
    padded.close();
    NDArray out = full.get("0:" + rows);
    full.close();
    return out;
  }

  /**
   * Runs all layers on {@code h} ({@code [rows, hidden]}, laid out as {@code seq} says). Returns
   * the final states of {@code seq.pooled()} rows only: the last layer needs keys and values of
   * every token but computes its output projection and MLP just for those rows (three quarters of
   * that layer, a sixteenth of a 12-layer tower).
   */
  public NDArray forward(NDArray h, Sequences seq) {
    NDArray current = h;
    for (int i = 0; i < layers.size(); i++) {
      boolean last = i == layers.size() - 1;
      NDArray next = layer(current, layers.get(i), seq, last);
      if (current != h) {
        current.close(); // the caller's input stays theirs
      }
      current = next;
    }
    return current;
  }

  private NDArray layer(NDArray h, Layer w, Sequences seq, boolean last) {
    NDArray x = layerNorm(h, w.ln1Scale(), w.ln1Shift());
    NDArray qkv = linear(x, w.qkvWeight(), w.qkvBias());
    x.close();
    NDArray context = attention(qkv, seq);
    qkv.close();
    NDArray residual = h;
    if (last) {
      // Only the pooled rows go on.
      NDArray picked = context.get(seq.pooled());
      context.close();
      context = picked;
      residual = h.get(seq.pooled());
    }
    NDArray attended = linear(context, w.outWeight(), w.outBias());
    context.close();
    NDArray h1 = attended.addi(residual);
    if (residual != h) {
      residual.close();
    }

    NDArray y = layerNorm(h1, w.ln2Scale(), w.ln2Shift());
    NDArray up = linear(y, w.fc1Weight(), w.fc1Bias());
    y.close();
    NDArray activated = activate(up);
    up.close();
    NDArray down = linear(activated, w.fc2Weight(), w.fc2Bias());
    activated.close();
    NDArray out = down.addi(h1);
    h1.close();
    return out;
  }

  /** Multi-head attention of each group; returns the context rows in the packed rows' order. */
  private NDArray attention(NDArray qkv, Sequences seq) {
    long headDim = hidden / heads;
    NDList contexts = new NDList(seq.groups().size());
    for (Group g : seq.groups()) {
      long rows = (long) g.count() * g.length();
      NDArray padded = g.toPadded() == null ? qkv : qkv.get(g.toPadded());
      // [count, length, 3, heads, headDim] -> [3, count, heads, length, headDim]
      NDArray split =
          padded.reshape(g.count(), g.length(), 3, heads, headDim).transpose(2, 0, 3, 1, 4);
      if (padded != qkv) {
        padded.close();
      }
      NDArray q = split.get(0);
      NDArray kT = split.get(1).transpose(0, 1, 3, 2);
      NDArray v = split.get(2);
      split.close();
      NDArray scores = q.matMul(kT);
      q.close();
      kT.close();
      if (g.mask() != null) {
        scores.addi(g.mask());
      }
      NDArray probs = scores.softmax(-1);
      scores.close();
      NDArray context = probs.matMul(v).transpose(0, 2, 1, 3).reshape(rows, hidden);
      probs.close();
      v.close();
      contexts.add(context);
    }
    NDArray all = contexts.size() == 1 ? contexts.get(0) : NDArrays.concat(contexts, 0);
    if (contexts.size() > 1) {
      contexts.close();
    }
    if (seq.toPacked() == null) {
      return all;
    }
    NDArray packed = all.get(seq.toPacked());
    all.close();
    return packed;
  }

  public NDArray layerNorm(NDArray x, NDArray scale, NDArray shift) {
    return LayerNorm.layerNorm(x, new Shape(hidden), scale, shift, eps).singletonOrThrow();
  }

  /**
   * The MLP activation, on an input padded (flattened, with zeros) to a length that gives every
   * libtorch worker thread a whole number of vector steps.
   *
   * <p>Why: libtorch's elementwise CPU kernels split the elements evenly over its threads and run
   * each part in SIMD steps of up to {@link #VECTOR_STEP} floats, finishing a part's remainder with
   * the scalar code, whose exp (hence sigmoid, tanh, erf) rounds differently from the vectorised
   * one (measured: about 1 in 1,000 quick_gelu outputs of a 48-wide MLP differ between the two).
   * Which elements fall in a remainder depends on the tensor's size and thread count, so without
   * padding a token's activation would depend on the batch. Real CLIP widths (2048, 3072) times
   * whole batches usually need no padding.
   */
  private NDArray activate(NDArray x) {
    long n = x.size();
    long padded = remainderFreeLength(n, Math.max(1, JniUtils.getNumThreads()));
    if (padded == n) {
      return activateElementwise(x);
    }
    NDArray flat = x.reshape(n);
    NDArray zeros = x.getManager().zeros(new Shape(padded - n), x.getDataType());
    NDArray all = flat.concat(zeros, 0);
    flat.close();
    zeros.close();
    NDArray activated = activateElementwise(all);
    all.close();
    NDArray head = activated.get("0:" + n);
    activated.close();
    NDArray out = head.reshape(x.getShape());
    head.close();
    return out;
  }

  /** Widest SIMD step of libtorch's elementwise loops (2 × 16 floats with AVX-512), with margin. */
  static final int VECTOR_STEP = 64;

  /** libtorch's grain: elementwise ops on fewer elements run on one thread ({@code GRAIN_SIZE}). */
  private static final long TORCH_GRAIN = 32_768;

  /**
   * The smallest length ≥ {@code n} that libtorch, with {@code threads} intra-op threads, splits
   * into parts that are each a multiple of {@link #VECTOR_STEP}: it uses {@code min(threads,
   * ceil(n / grain))} threads, each taking {@code ceil(n / used)} elements.
   */
  static long remainderFreeLength(long n, int threads) {
    long length = n;
    while (true) {
      long used = Math.max(1, Math.min(threads, LongMath.divide(length, TORCH_GRAIN, RoundingMode.CEILING)));
      long unit = VECTOR_STEP * used;
      long rounded = LongMath.divide(length, unit, RoundingMode.CEILING) * unit;
      long usedAfter =
          Math.max(1, Math.min(threads, LongMath.divide(rounded, TORCH_GRAIN, RoundingMode.CEILING)));
      if (rounded == length && usedAfter == used) {
        return length;
      }
      length = rounded == length ? length + VECTOR_STEP : rounded;
    }
  }

  private NDArray activateElementwise(NDArray x) {
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
