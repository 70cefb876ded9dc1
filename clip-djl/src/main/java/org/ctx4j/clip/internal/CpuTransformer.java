package org.ctx4j.clip.internal;

import java.util.ArrayList;
import java.util.Arrays;
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
public final class CpuTransformer {
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
  public record Sequences(int[] start, int[] length, boolean causal) {
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

  public static CpuTransformer load(
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
  public float[] forward(float[] h, Sequences seq, int[] pooled) {
    int rows = seq.rows();
    int[] pooledSeq = new int[pooled.length];
    for (int i = 0; i < pooled.length; i++) {
      int s = 0;
      while (pooled[i] >= seq.start()[s] + seq.length()[s]) {
        s++;
      }
      pooledSeq[i] = s;
    }
    Workspace ws = new Workspace(rows);
    float[] current = h;
    for (int l = 0; l < layers.size(); l++) {
      Layer w = layers.get(l);
      boolean last = l == layers.size() - 1;
      layerNormInto(current, rows, w.ln1Scale(), w.ln1Shift(), ws.normed);
      linearInto(ws.normed, rows, w.qkv(), null, false, ws.qkv, ws.packed);
      float[] residual;
      int m;
      if (last) {
        m = pooled.length;
        attentionInto(ws.qkv, seq, pooled, pooledSeq, ws.context);
        residual = new float[m * hidden];
        for (int i = 0; i < m; i++) {
          System.arraycopy(current, pooled[i] * hidden, residual, i * hidden, hidden);
        }
      } else {
        m = rows;
        attentionInto(ws.qkv, seq, null, null, ws.context);
        residual = current;
      }
      linearInto(ws.context, m, w.out(), residual, false, ws.attended, ws.packed);
      layerNormInto(ws.attended, m, w.ln2Scale(), w.ln2Shift(), ws.normed);
      linearInto(ws.normed, m, w.fc1(), null, true, ws.up, ws.packed);
      float[] next = current == ws.states ? ws.spare : ws.states;
      linearInto(ws.up, m, w.fc2(), ws.attended, false, next, ws.packed);
      current = next;
    }
    return Arrays.copyOf(current, pooled.length * hidden);
  }

  /**
   * The buffers of one {@link #forward} pass, sized for its rows and reused by every layer: per
   * layer allocations of this size would go straight to the old generation and keep the garbage
   * collector's threads busy on the cores the encoder uses.
   */
  private final class Workspace {
    final float[] normed;
    final float[] qkv;
    final float[] context;
    final float[] attended;
    final float[] up;
    final float[] states;
    final float[] spare;
    final float[] packed;

    Workspace(int rows) {
      int intermediate = layers.get(0).fc1().n();
      normed = new float[rows * hidden];
      qkv = new float[rows * 3 * hidden];
      context = new float[rows * hidden];
      attended = new float[rows * hidden];
      up = new float[rows * intermediate];
      states = new float[rows * hidden];
      spare = new float[rows * hidden];
      packed = new float[rows * Math.max(hidden, intermediate)];
    }
  }

  /**
   * {@code x W^T + b}, then the MLP activation when {@code activate}, then {@code + residual} when
   * given; threads take column panels.
   */
  public float[] linear(float[] x, int m, PackedMatrix w, float[] residual, boolean activate) {
    float[] out = new float[m * w.n()];
    linearInto(x, m, w, residual, activate, out, new float[m * w.k()]);
    return out;
  }

  /**
   * {@link #linear} into {@code out}, with {@code packed} (at least {@code m * w.k()} floats) for
   * the kernel's layout of {@code x}, which threads lay out by row blocks first.
   */
  private void linearInto(float[] x, int m, PackedMatrix w, float[] residual, boolean activate,
      float[] out, float[] packed) {
    int n = w.n();
    int k = w.k();
    int block = kernel.rowBlock();
    pool.forRange(
        (m + block - 1) / block,
        (long) m * k,
        (from, to) -> kernel.packRows(x, m, k, from * block, Math.min(m, to * block), packed));
    pool.forRange(
        w.panels(),
        (from, to) -> {
          boolean quickGelu = activate && act == TransformerEncoder.Act.QUICK_GELU;
          kernel.multiply(packed, m, w, from, to, out, quickGelu, residual);
          if (activate && !quickGelu) {
            if (residual != null) {
              throw new IllegalStateException("activation with residual is not a CLIP layer");
            }
            int c0 = from * w.width();
            int c1 = Math.min(n, to * w.width());
            for (int r = 0; r < m; r++) {
              for (int c = r * n + c0; c < r * n + c1; c++) {
                out[c] = Activations.apply(act, out[c]);
              }
            }
          }
        });
  }

  /** Layer norm of each of {@code rows} rows (mean and variance accumulated in double). */
  public float[] layerNorm(float[] x, int rows, float[] scale, float[] shift) {
    float[] out = new float[rows * hidden];
    layerNormInto(x, rows, scale, shift, out);
    return out;
  }

  private void layerNormInto(float[] x, int rows, float[] scale, float[] shift, float[] out) {
    pool.forRange(
        rows,
        3L * rows * hidden,
        (from, to) -> {
          int r = from;
          for (; r + 4 <= to; r += 4) {
            layerNormFour(x, r * hidden, scale, shift, out);
          }
          for (; r < to; r++) {
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
            normalizeRow(x, base, mean, sq, scale, shift, out);
          }
        });
  }

  /**
   * Four rows' layer norms, their sums interleaved: each row's sums are the same chains, in the
   * same order, as one row alone, but four independent chains keep the adder busy where one
   * waits on its own latency.
   */
  private void layerNormFour(float[] x, int b0, float[] scale, float[] shift, float[] out) {
    int b1 = b0 + hidden;
    int b2 = b1 + hidden;
    int b3 = b2 + hidden;
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    for (int c = 0; c < hidden; c++) {
      s0 += x[b0 + c];
      s1 += x[b1 + c];
      s2 += x[b2 + c];
      s3 += x[b3 + c];
    }
    double m0 = s0 / hidden;
    double m1 = s1 / hidden;
    double m2 = s2 / hidden;
    double m3 = s3 / hidden;
    double q0 = 0;
    double q1 = 0;
    double q2 = 0;
    double q3 = 0;
    for (int c = 0; c < hidden; c++) {
      double d0 = x[b0 + c] - m0;
      double d1 = x[b1 + c] - m1;
      double d2 = x[b2 + c] - m2;
      double d3 = x[b3 + c] - m3;
      q0 += d0 * d0;
      q1 += d1 * d1;
      q2 += d2 * d2;
      q3 += d3 * d3;
    }
    normalizeRow(x, b0, m0, q0, scale, shift, out);
    normalizeRow(x, b1, m1, q1, scale, shift, out);
    normalizeRow(x, b2, m2, q2, scale, shift, out);
    normalizeRow(x, b3, m3, q3, scale, shift, out);
  }

  private void normalizeRow(
      float[] x, int base, double mean, double sq, float[] scale, float[] shift, float[] out) {
    double inv = 1.0 / Math.sqrt(sq / hidden + eps);
    for (int c = 0; c < hidden; c++) {
      out[base + c] = (float) ((x[base + c] - mean) * inv) * scale[c] + shift[c];
    }
  }


  /**
   * Softmax attention of each head into {@code context} (every row and head of it written). With {@code queries} null, every row is a
   * query and the result has {@code rows} rows; otherwise only rows {@code queries} (of sequences
   * {@code querySeq}).
   */
  private void attentionInto(
      float[] qkv, Sequences seq, int[] queries, int[] querySeq, float[] context) {
    int headDim = hidden / heads;
    int stride = 3 * hidden;
    int units = (queries == null ? seq.start().length : queries.length) * heads;
    long work = 0;
    for (int i = 0; i < seq.length().length; i++) {
      long len = seq.length()[i];
      work += (queries == null ? len * len : len) * hidden * 2;
    }
    pool.forRange(
        units,
        work,
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
              int keys = start * stride + hidden + head * headDim;
              kernel.dots(qkv, q, qkv, keys, stride, headDim, seen, probs);
              float max = Float.NEGATIVE_INFINITY;
              for (int j = 0; j < seen; j++) {
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
                probs[j] /= sum;
              }
              int values = start * stride + 2 * hidden + head * headDim;
              kernel.weightedSum(probs, seen, qkv, values, stride, context, o, headDim);
            }
          }
        });
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
  public float[][] head(
      float[] states, int m, float[] scale, float[] shift, PackedMatrix projection) {
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
