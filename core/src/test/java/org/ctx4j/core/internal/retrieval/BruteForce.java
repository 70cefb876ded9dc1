package org.ctx4j.core.internal.retrieval;

import java.util.Arrays;
import java.util.Comparator;

/** Double-precision brute-force top-k: the reference the kernels are checked against. */
public final class BruteForce {
  private BruteForce() {}

  /** Row-major {@code [nq, k]} ids, best first, ties by lower id. */
  public static int[] topK(float[] keys, int n, float[] queries, int nq, int dim, int k) {
    int[] out = new int[nq * k];
    for (int q = 0; q < nq; q++) {
      double[] scores = scores(keys, n, queries, q, dim);
      Integer[] order = new Integer[n];
      Arrays.setAll(order, i -> i);
      Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparingInt(i -> i));
      for (int j = 0; j < k; j++) {
        out[q * k + j] = order[j];
      }
    }
    return out;
  }

  public static double[] scores(float[] keys, int n, float[] queries, int q, int dim) {
    double[] scores = new double[n];
    for (int key = 0; key < n; key++) {
      scores[key] = dot(keys, key, queries, q, dim);
    }
    return scores;
  }

  public static double dot(float[] keys, int key, float[] queries, int q, int dim) {
    double s = 0;
    for (int p = 0; p < dim; p++) {
      s += (double) keys[key * dim + p] * queries[q * dim + p];
    }
    return s;
  }
}
