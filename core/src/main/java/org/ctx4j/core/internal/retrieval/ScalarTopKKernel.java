package org.ctx4j.core.internal.retrieval;

import static org.ctx4j.core.internal.retrieval.PanelLayout.KEYS_PER_PANEL;
import static org.ctx4j.core.internal.retrieval.PanelLayout.QUERIES_PER_TILE;

/**
 * The Java 17 kernel and the oracle for the SIMD kernel: a 4 queries × 4 keys register block (16
 * scalar accumulators, one {@link Math#fma} each per dimension step), which keeps the FMA ports busy
 * without loads dominating. About the scalar FMA peak of one core (~12 GFLOP/s here).
 */
public final class ScalarTopKKernel implements TopKKernel {
  public static final ScalarTopKKernel INSTANCE = new ScalarTopKKernel();

  private ScalarTopKKernel() {}

  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public void scorePanel(float[] queries, int tiles, int dim, float[] keys, int keyOffset,
      int firstKey, int validKeys, BlockTopK topK) {
    float[] thresholds = topK.thresholds();
    int tileFloats = dim * QUERIES_PER_TILE;
    for (int t = 0; t < tiles; t++) {
      int qb = t * tileFloats;
      int q0 = t * QUERIES_PER_TILE;
      for (int j = 0; j < validKeys; j += 4) {
        int key = firstKey + j;
        int valid = validKeys - j; // keys j.. j+3 beyond validKeys are padding
        // two queries of the tile at a time (the tile's height is even)
        for (int r = 0; r < QUERIES_PER_TILE; r += 2) {
          float s00 = 0, s01 = 0, s02 = 0, s03 = 0;
          float s10 = 0, s11 = 0, s12 = 0, s13 = 0;
          int ko = keyOffset + j;
          int qo = qb + r;
          for (int p = 0; p < dim; p++, ko += KEYS_PER_PANEL, qo += QUERIES_PER_TILE) {
            float k0 = keys[ko], k1 = keys[ko + 1], k2 = keys[ko + 2], k3 = keys[ko + 3];
            float a = queries[qo];
            s00 = Math.fma(a, k0, s00);
            s01 = Math.fma(a, k1, s01);
            s02 = Math.fma(a, k2, s02);
            s03 = Math.fma(a, k3, s03);
            float b = queries[qo + 1];
            s10 = Math.fma(b, k0, s10);
            s11 = Math.fma(b, k1, s11);
            s12 = Math.fma(b, k2, s12);
            s13 = Math.fma(b, k3, s13);
          }
          offerRow(topK, thresholds, q0 + r, key, valid, s00, s01, s02, s03);
          offerRow(topK, thresholds, q0 + r + 1, key, valid, s10, s11, s12, s13);
        }
      }
    }
  }

  private static void offerRow(BlockTopK topK, float[] thresholds, int q, int key, int valid,
      float s0, float s1, float s2, float s3) {
    if (s0 >= thresholds[q]) {
      topK.offer(q, key, s0);
    }
    if (valid > 1 && s1 >= thresholds[q]) {
      topK.offer(q, key + 1, s1);
    }
    if (valid > 2 && s2 >= thresholds[q]) {
      topK.offer(q, key + 2, s2);
    }
    if (valid > 3 && s3 >= thresholds[q]) {
      topK.offer(q, key + 3, s3);
    }
  }
}
