package org.ctx4j.clip.internal;

/**
 * {@code out = x W^T + b} for the Java CPU route, single-threaded over a range of column panels
 * (callers split panels over threads).
 *
 * <p>Contract that makes the route batch-invariant: each output element is {@code b[c] + (...
 * ((0 + x[r][0] W[c][0]) + x[r][1] W[c][1]) ...)}, a chain of fused multiply-adds in increasing
 * {@code k} order followed by one addition of the bias, whatever the row count {@code m}, the
 * row's position, the panel range or the thread that runs it. Row blocking only decides how many
 * rows share a load of the weights.
 */
public interface GemmKernel {
  /** Columns per panel the kernel wants in {@link PackedMatrix}. */
  int panelWidth();

  /** A short name for logs and numerics strings. */
  String name();

  /** Rows per block of the layout {@link #packRows} writes; ranges of rows start at multiples. */
  int rowBlock();

  /**
   * Copies rows {@code [from, to)} of {@code x} ({@code m} rows of {@code k}) into {@code packed}
   * (at least {@code m * k} floats) in the layout {@link #multiply} reads. {@code from} is a multiple
   * of {@link #rowBlock()} and {@code to} one too, or {@code m}, so threads can pack disjoint ranges.
   */
  void packRows(float[] x, int m, int k, int from, int to, float[] packed);

  /**
   * Writes {@code out[r * w.n() + c]} for rows {@code [0, m)} and the columns of panels {@code
   * [panelFrom, panelTo)}, from the rows {@link #packRows} laid out in {@code packed}; then, while
   * each tile is still in the cache, {@code quick_gelu} when {@code quickGelu} (as {@link
   * #quickGelu}) and {@code + residual[r * w.n() + c]} when {@code residual} is not null.
   */
  void multiply(float[] packed, int m, PackedMatrix w, int panelFrom, int panelTo, float[] out,
      boolean quickGelu, float[] residual);

  /** {@code sum_i a[ai + i] * b[bi + i]} over {@code i < n}, in an order fixed by {@code n}. */
  float dot(float[] a, int ai, float[] b, int bi, int n);

  /**
   * {@code out[j] = dot(a, ai, b, first + j * stride, n)} for {@code j < count}, each the same bits
   * as {@link #dot} gives it (attention's scores of one query against a run of keys).
   */
  void dots(float[] a, int ai, float[] b, int first, int stride, int n, int count, float[] out);

  /**
   * {@code out[o + i]}, for {@code i < n}, is the chain {@code acc = fma(x[first + j * stride + i],
   * weights[j], acc)} over {@code j < count} from {@code acc = 0}, each element its own chain
   * (attention's probability-weighted sum of value rows).
   */
  void weightedSum(
      float[] weights, int count, float[] x, int first, int stride, float[] out, int o, int n);

  /**
   * {@code y[i] = quick_gelu(y[i])} for {@code i} in {@code [from, to)}, each element the same bits
   * as {@code Activations.quickGelu} gives it, whatever the range.
   */
  void quickGelu(float[] y, int from, int to);
}
