package org.ctx4j.clip.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The Java CPU route's CLIP encoder stack ({@code h += attn(ln1(h)); h += mlp(ln2(h))}) on heap
 * float arrays: linear layers on a {@link GemmKernel} with pre-packed weights, layer norms,
 * activations and softmax attention in plain Java. As in {@link TransformerEncoder}, q, k and v
 * are one fused matrix with q's rows pre-scaled by {@code 1/sqrt(headDim)}.
 *
 * <p>Batch invariance: every step computes a row (a token, or a token and head in attention) from
 * that row's own inputs with an operation order fixed by the model's shapes alone, and threads
 * split work by rows, panels or heads, never inside a reduction. A text's or image's result is
 * therefore the same bits whatever else shares its batch and whatever the thread count.
 */
final class CpuTransformer {
  private record Layer(
      float[] ln1Scale,
      float[] ln1Shift,
      PackedMatrix qkv,
      PackedMatrix out,
      float[] ln2Scale,
      float[] ln2Shift,
      PackedMatrix fc1,
      PackedMatrix fc2) {}

  /**
   * Sequences laid back to back: sequence {@code s} is rows {@code [start[s], start[s] +
   * length[s])}. Under {@code causal}, a position sees itself and the positions before it.
   */
  record Sequences(int[] start, int[] length, boolean causal) {
    int rows() {
      int n = 0;
      for (int l : length) {
        n += l;
      }
      return n;
    }
  }

  private final List<Layer> layers;
  private final int hidden;
  private final int heads;
  private final float eps;
  private final TransformerEncoder.Act act;
  private final GemmKernel kernel;
  private final CpuPool pool;

  private CpuTransformer(
      List<Layer> layers, int hidden, int heads, float eps, TransformerEncoder.Act act,
      GemmKernel kernel, CpuPool pool) {
    this.layers = layers;
    this.hidden = hidden;
    this.heads = heads;
    this.eps = eps;
    this.act = act;
    this.kernel = kernel;
    this.pool = pool;
  }

  static CpuTransformer load(
      Safetensors file, String tower, int numLayers, int hidden, int intermediate, int heads,
      double eps, TransformerEncoder.Act act, GemmKernel kernel, CpuPool pool) {
    float scale = (float) (1.0 / Math.sqrt((double) hidden / heads));
    List<Layer> layers = new ArrayList<>(numLayers);
    for (int i = 0; i < numLayers; i++) {
      String p = CheckpointLayout.layerPrefix(tower, i);
      float[] qkvWeight =
          TransformerEncoder.concatScaledFirst(
              file.readFloats(p + "self_attn.q_proj.weight", hidden, hidden),
              file.readFloats(p + "self_attn.k_proj.weight", hidden, hidden),
              file.readFloats(p + "self_attn.v_proj.weight", hidden, hidden), scale);
      float[] qkvBias =
          TransformerEncoder.concatScaledFirst(
              file.readFloats(p + "self_attn.q_proj.bias", hidden),
              file.readFloats(p + "self_attn.k_proj.bias", hidden),
              file.readFloats(p + "self_attn.v_proj.bias", hidden), scale);
      int w = kernel.panelWidth();
      layers.add(
          new Layer(
              file.readFloats(p + "layer_norm1.weight", hidden),
              file.readFloats(p + "layer_norm1.bias", hidden),
              PackedMatrix.pack(qkvWeight, qkvBias, 3 * hidden, hidden, w),
              PackedMatrix.pack(
                  file.readFloats(p + "self_attn.out_proj.weight", hidden, hidden),
                  file.readFloats(p + "self_attn.out_proj.bias", hidden), hidden, hidden, w),
              file.readFloats(p + "layer_norm2.weight", hidden),
              file.readFloats(p + "layer_norm2.bias", hidden),
              PackedMatrix.pack(
                  file.readFloats(p + "mlp.fc1.weight", intermediate, hidden),
                  file.readFloats(p + "mlp.fc1.bias", intermediate), intermediate, hidden, w),
              PackedMatrix.pack(
                  file.readFloats(p + "mlp.fc2.weight", hidden, intermediate),
                  file.readFloats(p + "mlp.fc2.bias", hidden), hidden, intermediate, w)));
    }
    return new CpuTransformer(layers, hidden, heads, (float) eps, act, kernel, pool);
  }

  /**
   * Runs all layers on {@code h} ({@code [rows, hidden]}, laid out as {@code seq} says; not
   * modified) and returns the final states of rows {@code pooled} only ({@code [pooled.length,
   * hidden]}): the last layer computes attention, output projection and MLP just for those rows.
   */
  float[] forward(float[] h, Sequences seq, int[] pooled) {
    int rows = seq.rows();
    int[] pooledSeq = new int[pooled.length];
    for (int i = 0; i < pooled.length; i++) {
      int s = 0;
      while (pooled[i] >= seq.start()[s] + seq.length()[s]) {
        s++;
      }
      pooledSeq[i] = s;
    }
    float[] current = h;
    for (int l = 0; l < layers.size(); l++) {
      Layer w = layers.get(l);
      boolean last = l == layers.size() - 1;
      float[] x = layerNorm(current, rows, w.ln1Scale(), w.ln1Shift());
      float[] qkv = linear(x, rows, w.qkv(), null, false);
      float[] context;
      float[] residual;
      int m;
      if (last) {
        m = pooled.length;
        context = attention(qkv, seq, pooled, pooledSeq);
        residual = new float[m * hidden];
        for (int i = 0; i < m; i++) {
          System.arraycopy(current, pooled[i] * hidden, residual, i * hidden, hidden);
        }
      } else {
        m = rows;
        context = attention(qkv, seq, null, null);
        residual = current;
      }
      float[] h1 = linear(context, m, w.out(), residual, false);
      float[] y = layerNorm(h1, m, w.ln2Scale(), w.ln2Shift());
      float[] up = linear(y, m, w.fc1(), null, true);
      current = linear(up, m, w.fc2(), h1, false);
    }
    return current;
  }

  /**
   * {@code x W^T + b}, then the MLP activation when {@code activate}, then {@code + residual} when
   * given; threads take column panels.
   */
  float[] linear(float[] x, int m, PackedMatrix w, float[] residual, boolean activate) {
    int n = w.n();
    float[] out = new float[m * n];
    pool.forRange(
        w.panels(),
        (from, to) -> {
          kernel.multiply(x, m, w, from, to, out);
          int c0 = from * w.width();
          int c1 = Math.min(n, to * w.width());
          for (int r = 0; r < m; r++) {
            int base = r * n;
            if (activate && act == TransformerEncoder.Act.QUICK_GELU) {
              kernel.quickGelu(out, base + c0, base + c1);
            } else if (activate) {
              for (int c = c0; c < c1; c++) {
                out[base + c] = Activations.apply(act, out[base + c]);
              }
            }
            if (residual != null) {
              for (int c = c0; c < c1; c++) {
                out[base + c] += residual[base + c];
              }
            }
          }
        });
    return out;
  }

  /** Layer norm of each of {@code rows} rows (mean and variance accumulated in double). */
  float[] layerNorm(float[] x, int rows, float[] scale, float[] shift) {
    float[] out = new float[rows * hidden];
    pool.forRange(
        rows,
        (from, to) -> {
          for (int r = from; r < to; r++) {
            int base = r * hidden;
            double sum = 0;
            for (int c = 0; c < hidden; c++) {
              sum += x[base + c];
            }
            double mean = sum / hidden;
            double sq = 0;
            for (int c = 0; c < hidden; c++) {
              double d = x[base + c] - mean;
              sq += d * d;
            }
            double inv = 1.0 / Math.sqrt(sq / hidden + eps);
            for (int c = 0; c < hidden; c++) {
              out[base + c] = (float) ((x[base + c] - mean) * inv) * scale[c] + shift[c];
            }
          }
        });
    return out;
  }

  /**
   * Softmax attention of each head. With {@code queries} null, every row is a query and the result
   * has {@code rows} rows; otherwise only rows {@code queries} (of sequences {@code querySeq}).
   */
  private float[] attention(float[] qkv, Sequences seq, int[] queries, int[] querySeq) {
    int headDim = hidden / heads;
    int stride = 3 * hidden;
    int count = queries == null ? seq.rows() : queries.length;
    float[] context = new float[count * hidden];
    int units = (queries == null ? seq.start().length : queries.length) * heads;
    pool.forRange(
        units,
        (from, to) -> {
          float[] probs = new float[maxLength(seq)];
          for (int u = from; u < to; u++) {
            int unit = u / heads;
            int head = u % heads;
            int s = queries == null ? unit : querySeq[unit];
            int start = seq.start()[s];
            int length = seq.length()[s];
            int firstPos = queries == null ? 0 : queries[unit] - start;
            int endPos = queries == null ? length : firstPos + 1;
            for (int pos = firstPos; pos < endPos; pos++) {
              int q = (start + pos) * stride + head * headDim;
              int seen = seq.causal() ? pos + 1 : length;
              float max = Float.NEGATIVE_INFINITY;
              for (int j = 0; j < seen; j++) {
                int k = (start + j) * stride + hidden + head * headDim;
                probs[j] = kernel.dot(qkv, q, qkv, k, headDim);
                max = Math.max(max, probs[j]);
              }
              float sum = 0;
              for (int j = 0; j < seen; j++) {
                probs[j] = Activations.exp(probs[j] - max);
                sum += probs[j];
              }
              int outRow = queries == null ? start + pos : unit;
              int o = outRow * hidden + head * headDim;
              for (int j = 0; j < seen; j++) {
                int v = (start + j) * stride + 2 * hidden + head * headDim;
                kernel.axpy(probs[j] / sum, qkv, v, context, o, headDim);
              }
            }
          }
        });
    return context;
  }

  private static int maxLength(Sequences seq) {
    int max = 0;
    for (int l : seq.length()) {
      max = Math.max(max, l);
    }
    return max;
  }

  int hidden() {
    return hidden;
  }

  GemmKernel kernel() {
    return kernel;
  }

  CpuPool pool() {
    return pool;
  }

  /**
   * The common tail of both towers on {@code m} pooled states: the final layer norm (the pooled
   * output), the projection (no bias) and the L2-normalised embedding (norm summed in double).
   * Returns {@code {pooled, embeddings}}.
   */
  float[][] head(float[] states, int m, float[] scale, float[] shift, PackedMatrix projection) {
    float[] pooled = layerNorm(states, m, scale, shift);
    float[] projected = linear(pooled, m, projection, null, false);
    int e = projection.n();
    for (int r = 0; r < m; r++) {
      double sq = 0;
      for (int c = 0; c < e; c++) {
        double v = projected[r * e + c];
        sq += v * v;
      }
      float norm = (float) Math.sqrt(sq);
      for (int c = 0; c < e; c++) {
        projected[r * e + c] /= norm;
      }
    }
    return new float[][] {pooled, projected};
  }
}
