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

  /**
   * Writes {@code out[r * w.n() + c]} for rows {@code [0, m)} and the columns of panels {@code
   * [panelFrom, panelTo)}, from {@code x[r * w.k() + i]}.
   */
  void multiply(float[] x, int m, PackedMatrix w, int panelFrom, int panelTo, float[] out);

  /** {@code sum_i a[ai + i] * b[bi + i]} over {@code i < n}, in an order fixed by {@code n}. */
  float dot(float[] a, int ai, float[] b, int bi, int n);

  /** {@code y[yi + i] += alpha * x[xi + i]} for {@code i < n} (one fused multiply-add each). */
  void axpy(float alpha, float[] x, int xi, float[] y, int yi, int n);

  /**
   * {@code y[i] = quick_gelu(y[i])} for {@code i} in {@code [from, to)}, each element the same bits
   * as {@code Activations.quickGelu} gives it, whatever the range.
   */
  void quickGelu(float[] y, int from, int to);
}
