package org.ctx4j.clip.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link GemmKernel} on the Vector API: panels of three vectors of output columns (48 with 512-bit
 * vectors), eight rows at a time (24 accumulators, the register file's budget with the three
 * weight vectors and one broadcast), then one row at a time for the rest. The eight rows' inputs
 * are first re-laid k-major ({@code ROWS} values per k step), so each step is three weight loads,
 * eight broadcasts from one cache line and 24 fused multiply-adds. Both paths run the same per-lane
 * operation sequence ({@code fma} over increasing k, then {@code + bias}), so a row's result does
 * not depend on which path, or which batch, computed it. Loaded by name from {@link JavaRoute}
 * when the JVM has the {@code jdk.incubator.vector} module.
 */
public final class VectorGemmKernel implements GemmKernel {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final int WIDTH = 3 * L;
  private static final int ROWS = 8;
  /** Rows per pass over all panels: their inputs stay in the caches while a panel serves them. */
  private static final int ROW_CHUNK = 16 * ROWS;

  @Override
  public int panelWidth() {
    return WIDTH;
  }

  @Override
  public String name() {
    return "vector-" + S.vectorBitSize();
  }

  @Override
  public int rowBlock() {
    return ROWS;
  }

  /**
   * Whole blocks of {@code ROWS} rows go k-major ({@code packed[r * k + i * ROWS + j]} holds row
   * {@code r + j}, column {@code i}), so each k step of {@link #block8} reads its eight inputs from
   * one cache line; the rows after the last whole block keep their row-major place.
   */
  @Override
  public void packRows(float[] x, int m, int k, int from, int to, float[] packed) {
    int full = m / ROWS * ROWS;
    for (int r = from; r < Math.min(to, full); r += ROWS) {
      for (int j = 0; j < ROWS; j++) {
        int row = (r + j) * k;
        int at = r * k + j;
        for (int i = 0; i < k; i++) {
          packed[at + i * ROWS] = x[row + i];
        }
      }
    }
    int rest = Math.max(from, full);
    if (rest < to) {
      System.arraycopy(x, rest * k, packed, rest * k, (to - rest) * k);
    }
  }

  @Override
  public void multiply(float[] packed, int m, PackedMatrix w, int panelFrom, int panelTo,
      float[] out, boolean quickGelu, float[] residual) {
    if (w.width() != WIDTH) {
      throw new IllegalArgumentException("matrix packed for panels of " + w.width()
          + " columns, the kernel uses " + WIDTH);
    }
    int k = w.k();
    int full = m / ROWS * ROWS;
    float[] tile = new float[ROWS * WIDTH];
    for (int r0 = 0; r0 < m; r0 += ROW_CHUNK) {
      int r1 = Math.min(m, r0 + ROW_CHUNK);
      for (int p = panelFrom; p < panelTo; p++) {
        int r = r0;
        for (; r + ROWS <= Math.min(r1, full); r += ROWS) {
          block8(packed, r * k, w, p, tile);
          finish(tile, ROWS, r, w, p, out, quickGelu, residual);
        }
        for (; r < r1; r++) {
          block1(packed, r, w, p, tile);
          finish(tile, 1, r, w, p, out, quickGelu, residual);
        }
      }
    }
  }

  /** Eight rows by one panel into {@code tile} (row-major, {@code WIDTH} per row), bias added. */
  private static void block8(float[] a, int ai, PackedMatrix w, int p, float[] tile) {
    int k = w.k();
    float[] b = w.data();
    int bi = p * k * WIDTH;
    FloatVector zero = FloatVector.zero(S);
    FloatVector a00 = zero, a01 = zero, a02 = zero;
    FloatVector a10 = zero, a11 = zero, a12 = zero;
    FloatVector a20 = zero, a21 = zero, a22 = zero;
    FloatVector a30 = zero, a31 = zero, a32 = zero;
    FloatVector a40 = zero, a41 = zero, a42 = zero;
    FloatVector a50 = zero, a51 = zero, a52 = zero;
    FloatVector a60 = zero, a61 = zero, a62 = zero;
    FloatVector a70 = zero, a71 = zero, a72 = zero;
    for (int i = 0; i < k; i++) {
      int bk = bi + i * WIDTH;
      int ak = ai + i * ROWS;
      FloatVector b0 = FloatVector.fromArray(S, b, bk);
      FloatVector b1 = FloatVector.fromArray(S, b, bk + L);
      FloatVector b2 = FloatVector.fromArray(S, b, bk + 2 * L);
      FloatVector v0 = FloatVector.broadcast(S, a[ak]);
      a00 = b0.fma(v0, a00);
      a01 = b1.fma(v0, a01);
      a02 = b2.fma(v0, a02);
      FloatVector v1 = FloatVector.broadcast(S, a[ak + 1]);
      a10 = b0.fma(v1, a10);
      a11 = b1.fma(v1, a11);
      a12 = b2.fma(v1, a12);
      FloatVector v2 = FloatVector.broadcast(S, a[ak + 2]);
      a20 = b0.fma(v2, a20);
      a21 = b1.fma(v2, a21);
      a22 = b2.fma(v2, a22);
      FloatVector v3 = FloatVector.broadcast(S, a[ak + 3]);
      a30 = b0.fma(v3, a30);
      a31 = b1.fma(v3, a31);
      a32 = b2.fma(v3, a32);
      FloatVector v4 = FloatVector.broadcast(S, a[ak + 4]);
      a40 = b0.fma(v4, a40);
      a41 = b1.fma(v4, a41);
      a42 = b2.fma(v4, a42);
      FloatVector v5 = FloatVector.broadcast(S, a[ak + 5]);
      a50 = b0.fma(v5, a50);
      a51 = b1.fma(v5, a51);
      a52 = b2.fma(v5, a52);
      FloatVector v6 = FloatVector.broadcast(S, a[ak + 6]);
      a60 = b0.fma(v6, a60);
      a61 = b1.fma(v6, a61);
      a62 = b2.fma(v6, a62);
      FloatVector v7 = FloatVector.broadcast(S, a[ak + 7]);
      a70 = b0.fma(v7, a70);
      a71 = b1.fma(v7, a71);
      a72 = b2.fma(v7, a72);
    }
    FloatVector c0 = FloatVector.fromArray(S, w.bias(), p * WIDTH);
    FloatVector c1 = FloatVector.fromArray(S, w.bias(), p * WIDTH + L);
    FloatVector c2 = FloatVector.fromArray(S, w.bias(), p * WIDTH + 2 * L);
    a00.add(c0).intoArray(tile, 0);
    a01.add(c1).intoArray(tile, L);
    a02.add(c2).intoArray(tile, 2 * L);
    a10.add(c0).intoArray(tile, WIDTH);
    a11.add(c1).intoArray(tile, WIDTH + L);
    a12.add(c2).intoArray(tile, WIDTH + 2 * L);
    a20.add(c0).intoArray(tile, 2 * WIDTH);
    a21.add(c1).intoArray(tile, 2 * WIDTH + L);
    a22.add(c2).intoArray(tile, 2 * WIDTH + 2 * L);
    a30.add(c0).intoArray(tile, 3 * WIDTH);
    a31.add(c1).intoArray(tile, 3 * WIDTH + L);
    a32.add(c2).intoArray(tile, 3 * WIDTH + 2 * L);
    a40.add(c0).intoArray(tile, 4 * WIDTH);
    a41.add(c1).intoArray(tile, 4 * WIDTH + L);
    a42.add(c2).intoArray(tile, 4 * WIDTH + 2 * L);
    a50.add(c0).intoArray(tile, 5 * WIDTH);
    a51.add(c1).intoArray(tile, 5 * WIDTH + L);
    a52.add(c2).intoArray(tile, 5 * WIDTH + 2 * L);
    a60.add(c0).intoArray(tile, 6 * WIDTH);
    a61.add(c1).intoArray(tile, 6 * WIDTH + L);
    a62.add(c2).intoArray(tile, 6 * WIDTH + 2 * L);
    a70.add(c0).intoArray(tile, 7 * WIDTH);
    a71.add(c1).intoArray(tile, 7 * WIDTH + L);
    a72.add(c2).intoArray(tile, 7 * WIDTH + 2 * L);
  }

  private static void block1(float[] x, int r, PackedMatrix w, int p, float[] tile) {
    int k = w.k();
    float[] b = w.data();
    int bi = p * k * WIDTH;
    int x0 = r * k;
    FloatVector a0 = FloatVector.zero(S);
    FloatVector a1 = a0;
    FloatVector a2 = a0;
    for (int i = 0; i < k; i++) {
      int bk = bi + i * WIDTH;
      FloatVector v = FloatVector.broadcast(S, x[x0 + i]);
      a0 = FloatVector.fromArray(S, b, bk).fma(v, a0);
      a1 = FloatVector.fromArray(S, b, bk + L).fma(v, a1);
      a2 = FloatVector.fromArray(S, b, bk + 2 * L).fma(v, a2);
    }
    a0.add(FloatVector.fromArray(S, w.bias(), p * WIDTH)).intoArray(tile, 0);
    a1.add(FloatVector.fromArray(S, w.bias(), p * WIDTH + L)).intoArray(tile, L);
    a2.add(FloatVector.fromArray(S, w.bias(), p * WIDTH + 2 * L)).intoArray(tile, 2 * L);
  }

  /**
   * Rows {@code [r, r + rows)} of a tile into {@code out}, cut at column {@code n}, with the
   * activation and the residual applied on the way (the same operations, in the same order, as
   * applying them to {@code out} afterwards).
   */
  private void finish(float[] tile, int rows, int r, PackedMatrix w, int p, float[] out,
      boolean quickGelu, float[] residual) {
    int n = w.n();
    int c = p * WIDTH;
    int columns = Math.min(WIDTH, n - c);
    if (quickGelu) {
      quickGelu(tile, 0, rows * WIDTH);
    }
    for (int j = 0; j < rows; j++) {
      int at = (r + j) * n + c;
      if (residual == null) {
        System.arraycopy(tile, j * WIDTH, out, at, columns);
      } else if (columns == WIDTH) {
        for (int v = 0; v < WIDTH; v += L) {
          FloatVector.fromArray(S, tile, j * WIDTH + v)
              .add(FloatVector.fromArray(S, residual, at + v))
              .intoArray(out, at + v);
        }
      } else {
        for (int i = 0; i < columns; i++) {
          out[at + i] = tile[j * WIDTH + i] + residual[at + i];
        }
      }
    }
  }

  @Override
  public float dot(float[] a, int ai, float[] b, int bi, int n) {
    FloatVector acc = FloatVector.zero(S);
    int i = 0;
    for (; i + L <= n; i += L) {
      acc = FloatVector.fromArray(S, a, ai + i).fma(FloatVector.fromArray(S, b, bi + i), acc);
    }
    float sum = acc.reduceLanes(VectorOperators.ADD);
    for (; i < n; i++) {
      sum = Math.fma(a[ai + i], b[bi + i], sum);
    }
    return sum;
  }

  /** Four keys at a time: four independent chains, each the one {@link #dot} runs. */
  @Override
  public void dots(float[] a, int ai, float[] b, int first, int stride, int n, int count,
      float[] out) {
    int vectorEnd = n / L * L;
    int j = 0;
    for (; j + 4 <= count; j += 4) {
      int b0 = first + j * stride;
      int b1 = b0 + stride;
      int b2 = b1 + stride;
      int b3 = b2 + stride;
      FloatVector s0 = FloatVector.zero(S);
      FloatVector s1 = s0;
      FloatVector s2 = s0;
      FloatVector s3 = s0;
      for (int i = 0; i < vectorEnd; i += L) {
        FloatVector q = FloatVector.fromArray(S, a, ai + i);
        s0 = q.fma(FloatVector.fromArray(S, b, b0 + i), s0);
        s1 = q.fma(FloatVector.fromArray(S, b, b1 + i), s1);
        s2 = q.fma(FloatVector.fromArray(S, b, b2 + i), s2);
        s3 = q.fma(FloatVector.fromArray(S, b, b3 + i), s3);
      }
      out[j] = tail(a, ai, b, b0, vectorEnd, n, s0.reduceLanes(VectorOperators.ADD));
      out[j + 1] = tail(a, ai, b, b1, vectorEnd, n, s1.reduceLanes(VectorOperators.ADD));
      out[j + 2] = tail(a, ai, b, b2, vectorEnd, n, s2.reduceLanes(VectorOperators.ADD));
      out[j + 3] = tail(a, ai, b, b3, vectorEnd, n, s3.reduceLanes(VectorOperators.ADD));
    }
    for (; j < count; j++) {
      out[j] = dot(a, ai, b, first + j * stride, n);
    }
  }

  private static float tail(float[] a, int ai, float[] b, int bi, int from, int n, float sum) {
    for (int i = from; i < n; i++) {
      sum = Math.fma(a[ai + i], b[bi + i], sum);
    }
    return sum;
  }

  @Override
  public void weightedSum(
      float[] weights, int count, float[] x, int first, int stride, float[] out, int o, int n) {
    int i = 0;
    for (; i + 4 * L <= n; i += 4 * L) {
      FloatVector a0 = FloatVector.zero(S);
      FloatVector a1 = a0;
      FloatVector a2 = a0;
      FloatVector a3 = a0;
      for (int j = 0; j < count; j++) {
        int row = first + j * stride + i;
        FloatVector weight = FloatVector.broadcast(S, weights[j]);
        a0 = FloatVector.fromArray(S, x, row).fma(weight, a0);
        a1 = FloatVector.fromArray(S, x, row + L).fma(weight, a1);
        a2 = FloatVector.fromArray(S, x, row + 2 * L).fma(weight, a2);
        a3 = FloatVector.fromArray(S, x, row + 3 * L).fma(weight, a3);
      }
      a0.intoArray(out, o + i);
      a1.intoArray(out, o + i + L);
      a2.intoArray(out, o + i + 2 * L);
      a3.intoArray(out, o + i + 3 * L);
    }
    for (; i + L <= n; i += L) {
      FloatVector a = FloatVector.zero(S);
      for (int j = 0; j < count; j++) {
        a = FloatVector.fromArray(S, x, first + j * stride + i)
            .fma(FloatVector.broadcast(S, weights[j]), a);
      }
      a.intoArray(out, o + i);
    }
    for (; i < n; i++) {
      float a = 0f;
      for (int j = 0; j < count; j++) {
        a = Math.fma(x[first + j * stride + i], weights[j], a);
      }
      out[o + i] = a;
    }
  }

  @Override
  public void quickGelu(float[] y, int from, int to) {
    float[] c = Activations.EXP_POLY;
    int i = from;
    for (; i + L <= to; i += L) {
      FloatVector x = FloatVector.fromArray(S, y, i);
      FloatVector z = x.mul(-1.702f).max(-87f).min(88f);
      // z * log2(e) rounded to an integer n by adding 1.5 * 2^23: the sum's low mantissa bits
      // then hold n itself, so 2^n is built from them without a float-to-int conversion (which
      // JDK 17 does not compile to a vector instruction).
      FloatVector shifted = z.mul(Activations.LOG2E).add(Activations.ROUNDER);
      FloatVector n = shifted.sub(Activations.ROUNDER);
      FloatVector r = n.fma(FloatVector.broadcast(S, -Activations.LN2_HI), z);
      r = n.fma(FloatVector.broadcast(S, -Activations.LN2_LO), r);
      FloatVector p = FloatVector.broadcast(S, c[0]);
      for (int j = 1; j < c.length; j++) {
        p = p.fma(r, FloatVector.broadcast(S, c[j]));
      }
      IntVector bits = shifted.reinterpretAsInts().add(127).lanewise(VectorOperators.LSHL, 23);
      FloatVector e = p.mul(bits.reinterpretAsFloats());
      x.div(e.add(1f)).intoArray(y, i);
    }
    for (; i < to; i++) {
      y[i] = Activations.quickGelu(y[i]);
    }
  }
}
