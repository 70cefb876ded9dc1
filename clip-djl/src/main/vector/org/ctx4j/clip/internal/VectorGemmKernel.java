package org.ctx4j.clip.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link GemmKernel} on the Vector API: panels of two vectors of output columns, six rows at a time
 * (twelve accumulators), then one row at a time for the rest. Both paths run the same per-lane
 * operation sequence ({@code fma} over increasing k, then {@code + bias}), so a row's result does
 * not depend on which path, or which batch, computed it. Loaded by name from {@link JavaRoute}
 * when the JVM has the {@code jdk.incubator.vector} module.
 */
public final class VectorGemmKernel implements GemmKernel {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final int WIDTH = 2 * L;
  private static final int ROWS = 6;
  /** Rows per pass over all panels: keeps a block of x in L2 while the panels stream. */
  private static final int ROW_CHUNK = 96;

  @Override
  public int panelWidth() {
    return WIDTH;
  }

  @Override
  public String name() {
    return "vector-" + S.vectorBitSize();
  }

  @Override
  public void multiply(float[] x, int m, PackedMatrix w, int panelFrom, int panelTo, float[] out) {
    if (w.width() != WIDTH) {
      throw new IllegalArgumentException("matrix packed for panels of " + w.width()
          + " columns, the kernel uses " + WIDTH);
    }
    float[] tail = new float[WIDTH];
    for (int r0 = 0; r0 < m; r0 += ROW_CHUNK) {
      int r1 = Math.min(m, r0 + ROW_CHUNK);
      for (int p = panelFrom; p < panelTo; p++) {
        int r = r0;
        for (; r + ROWS <= r1; r += ROWS) {
          block6(x, r, w, p, out, tail);
        }
        for (; r < r1; r++) {
          block1(x, r, w, p, out, tail);
        }
      }
    }
  }

  private static void block6(float[] x, int r, PackedMatrix w, int p, float[] out, float[] tail) {
    int k = w.k();
    float[] b = w.data();
    int bi = p * k * WIDTH;
    int x0 = r * k;
    int x1 = x0 + k;
    int x2 = x1 + k;
    int x3 = x2 + k;
    int x4 = x3 + k;
    int x5 = x4 + k;
    FloatVector a00 = FloatVector.zero(S);
    FloatVector a01 = FloatVector.zero(S);
    FloatVector a10 = FloatVector.zero(S);
    FloatVector a11 = FloatVector.zero(S);
    FloatVector a20 = FloatVector.zero(S);
    FloatVector a21 = FloatVector.zero(S);
    FloatVector a30 = FloatVector.zero(S);
    FloatVector a31 = FloatVector.zero(S);
    FloatVector a40 = FloatVector.zero(S);
    FloatVector a41 = FloatVector.zero(S);
    FloatVector a50 = FloatVector.zero(S);
    FloatVector a51 = FloatVector.zero(S);
    for (int i = 0; i < k; i++, bi += WIDTH) {
      FloatVector b0 = FloatVector.fromArray(S, b, bi);
      FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
      FloatVector v = FloatVector.broadcast(S, x[x0 + i]);
      a00 = b0.fma(v, a00);
      a01 = b1.fma(v, a01);
      v = FloatVector.broadcast(S, x[x1 + i]);
      a10 = b0.fma(v, a10);
      a11 = b1.fma(v, a11);
      v = FloatVector.broadcast(S, x[x2 + i]);
      a20 = b0.fma(v, a20);
      a21 = b1.fma(v, a21);
      v = FloatVector.broadcast(S, x[x3 + i]);
      a30 = b0.fma(v, a30);
      a31 = b1.fma(v, a31);
      v = FloatVector.broadcast(S, x[x4 + i]);
      a40 = b0.fma(v, a40);
      a41 = b1.fma(v, a41);
      v = FloatVector.broadcast(S, x[x5 + i]);
      a50 = b0.fma(v, a50);
      a51 = b1.fma(v, a51);
    }
    FloatVector c0 = FloatVector.fromArray(S, w.bias(), p * WIDTH);
    FloatVector c1 = FloatVector.fromArray(S, w.bias(), p * WIDTH + L);
    store(a00.add(c0), a01.add(c1), r, w, p, out, tail);
    store(a10.add(c0), a11.add(c1), r + 1, w, p, out, tail);
    store(a20.add(c0), a21.add(c1), r + 2, w, p, out, tail);
    store(a30.add(c0), a31.add(c1), r + 3, w, p, out, tail);
    store(a40.add(c0), a41.add(c1), r + 4, w, p, out, tail);
    store(a50.add(c0), a51.add(c1), r + 5, w, p, out, tail);
  }

  private static void block1(float[] x, int r, PackedMatrix w, int p, float[] out, float[] tail) {
    int k = w.k();
    float[] b = w.data();
    int bi = p * k * WIDTH;
    int x0 = r * k;
    FloatVector a00 = FloatVector.zero(S);
    FloatVector a01 = FloatVector.zero(S);
    for (int i = 0; i < k; i++, bi += WIDTH) {
      FloatVector v = FloatVector.broadcast(S, x[x0 + i]);
      a00 = FloatVector.fromArray(S, b, bi).fma(v, a00);
      a01 = FloatVector.fromArray(S, b, bi + L).fma(v, a01);
    }
    FloatVector c0 = FloatVector.fromArray(S, w.bias(), p * WIDTH);
    FloatVector c1 = FloatVector.fromArray(S, w.bias(), p * WIDTH + L);
    store(a00.add(c0), a01.add(c1), r, w, p, out, tail);
  }

  private static void store(
      FloatVector v0, FloatVector v1, int r, PackedMatrix w, int p, float[] out, float[] tail) {
    int n = w.n();
    int c = p * WIDTH;
    int at = r * n + c;
    if (c + WIDTH <= n) {
      v0.intoArray(out, at);
      v1.intoArray(out, at + L);
    } else {
      v0.intoArray(tail, 0);
      v1.intoArray(tail, L);
      System.arraycopy(tail, 0, out, at, n - c);
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

  @Override
  public void axpy(float alpha, float[] x, int xi, float[] y, int yi, int n) {
    FloatVector v = FloatVector.broadcast(S, alpha);
    int i = 0;
    for (; i + L <= n; i += L) {
      FloatVector.fromArray(S, x, xi + i).fma(v, FloatVector.fromArray(S, y, yi + i))
          .intoArray(y, yi + i);
    }
    for (; i < n; i++) {
      y[yi + i] = Math.fma(x[xi + i], alpha, y[yi + i]);
    }
  }

  @Override
  public void quickGelu(float[] y, int from, int to) {
    float[] c = Activations.EXP_POLY;
    int i = from;
    for (; i + L <= to; i += L) {
      FloatVector x = FloatVector.fromArray(S, y, i);
      FloatVector z = x.mul(-1.702f).max(-87f).min(88f);
      FloatVector n = z.mul(Activations.LOG2E).add(Activations.ROUNDER).sub(Activations.ROUNDER);
      FloatVector r = n.fma(FloatVector.broadcast(S, -Activations.LN2_HI), z);
      r = n.fma(FloatVector.broadcast(S, -Activations.LN2_LO), r);
      FloatVector p = FloatVector.broadcast(S, c[0]);
      for (int j = 1; j < c.length; j++) {
        p = p.fma(r, FloatVector.broadcast(S, c[j]));
      }
      IntVector exponent = (IntVector) n.convert(VectorOperators.F2I, 0);
      IntVector bits = exponent.add(127).lanewise(VectorOperators.LSHL, 23);
      FloatVector e = p.mul(bits.reinterpretAsFloats());
      x.div(e.add(1f)).intoArray(y, i);
    }
    for (; i < to; i++) {
      y[i] = Activations.quickGelu(y[i]);
    }
  }
}
