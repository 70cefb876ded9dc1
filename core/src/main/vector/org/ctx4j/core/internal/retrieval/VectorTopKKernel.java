package org.ctx4j.core.internal.retrieval;

import static org.ctx4j.core.internal.retrieval.PanelLayout.KEYS_PER_PANEL;
import static org.ctx4j.core.internal.retrieval.PanelLayout.QUERIES_PER_TILE;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD kernel (Vector API): a 6 queries × 4 vectors register block — 24 accumulators of the
 * preferred species, one query component broadcast per row and four key vectors loaded per
 * dimension step (24 FMAs per 4 key loads, where a 4-query block does 16) — i.e. a 6 × 64 score
 * tile per pass with 512-bit vectors.
 * Each lane accumulates one score as the same fused multiply-add chain as {@link ScalarTopKKernel},
 * so results are bit-identical. Selection is fused: each query's 64 scores are compared with its
 * threshold in four vector compares, and only tiles holding a candidate leave the vector domain.
 *
 * <p>On JDK 25 the same scores run as 4 × 4-vector blocks ({@code scorePanelInFourRowBlocks}):
 * its C2 runs the 24-accumulator block slower and less steadily than JDK 17's does.
 *
 * <p>Loaded by name from {@link KernelProvider} only when {@code jdk.incubator.vector} is in the
 * boot layer (any JDK 17+); never referenced statically from the Java 17 code.
 */
public final class VectorTopKKernel implements TopKKernel {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final int LANES = SPECIES.length();
  private static final int CHUNK = 4 * LANES;
  /**
   * Which register block runs: 6 × 4 vectors (24 accumulators) or 4 × 4. JDK 17's C2 runs the
   * 6-row block fastest; JDK 25's is faster and steadier with 4 rows (ExactSearchBenchmark,
   * docs: benchmarks/results/peers-2026.md). System property {@code ctx4j.retrieval.rows} (4 or 6)
   * overrides, for benchmarks. Same bits either way ({@code KernelOracleTest} runs both).
   */
  private static final boolean FOUR_ROWS_BY_DEFAULT =
      Integer.getInteger("ctx4j.retrieval.rows", Runtime.version().feature() >= 25 ? 4 : 6) == 4;

  private final boolean fourRowBlocks;

  /** The register block this JDK runs fastest. */
  public VectorTopKKernel() {
    this(FOUR_ROWS_BY_DEFAULT);
  }

  /** {@code fourRowBlocks}: 4 × 4-vector blocks instead of 6 × 4. */
  public VectorTopKKernel(boolean fourRowBlocks) {
    this.fourRowBlocks = fourRowBlocks;
    if (LANES < 4 || KEYS_PER_PANEL % CHUNK != 0) {
      throw new UnsupportedOperationException(
          "preferred float species has " + LANES + " lanes; the vector kernel needs 4, 8 or 16");
    }
  }

  @Override
  public String name() {
    return "vector-" + SPECIES.vectorBitSize() + (fourRowBlocks ? " 4x4" : " 6x4");
  }

  @Override
  public void scorePanel(float[] queries, int tiles, int dim, float[] keys, int keyOffset,
      int firstKey, int validKeys, BlockTopK topK) {
    if (fourRowBlocks) {
      scorePanelInFourRowBlocks(queries, tiles, dim, keys, keyOffset, firstKey, validKeys, topK);
      return;
    }
    float[] thresholds = topK.thresholds();
    float[] tileScores = new float[QUERIES_PER_TILE * CHUNK];
    int tileFloats = dim * QUERIES_PER_TILE;
    for (int t = 0; t < tiles; t++) {
      int q0 = t * QUERIES_PER_TILE;
      for (int c = 0; c < validKeys; c += CHUNK) {
        multiplyTile(queries, t * tileFloats, keys, keyOffset + c, dim, tileScores);
        selectTile(tileScores, 0, thresholds, q0, firstKey + c, validKeys - c, topK);
      }
    }
  }

  /**
   * The same scores with 4 × 4-vector register blocks (16 accumulators): two 6-query tiles are
   * three blocks of four rows (rows 0-3, rows 4-5 of the first with 0-1 of the second, rows 2-5),
   * so keys are loaded once per 16 FMAs. A lone last tile takes two blocks, the second computing
   * its rows 4-5 twice.
   */
  private static void scorePanelInFourRowBlocks(float[] queries, int tiles, int dim, float[] keys,
      int keyOffset, int firstKey, int validKeys, BlockTopK topK) {
    float[] thresholds = topK.thresholds();
    float[] scores = new float[2 * QUERIES_PER_TILE * CHUNK];
    int tileFloats = dim * QUERIES_PER_TILE;
    for (int t = 0; t < tiles; t += 2) {
      int a = t * tileFloats;
      int q0 = t * QUERIES_PER_TILE;
      for (int c = 0; c < validKeys; c += CHUNK) {
        int ko = keyOffset + c;
        multiplyRows(queries, a, a + 1, a + 2, a + 3, keys, ko, dim, scores, 0);
        if (t + 1 < tiles) {
          int b = a + tileFloats;
          multiplyRows(queries, a + 4, a + 5, b, b + 1, keys, ko, dim, scores, 4 * CHUNK);
          multiplyRows(queries, b + 2, b + 3, b + 4, b + 5, keys, ko, dim, scores, 8 * CHUNK);
          selectTile(scores, 0, thresholds, q0, firstKey + c, validKeys - c, topK);
          selectTile(scores, QUERIES_PER_TILE * CHUNK, thresholds, q0 + QUERIES_PER_TILE,
              firstKey + c, validKeys - c, topK);
        } else {
          multiplyRows(queries, a + 4, a + 5, a + 4, a + 5, keys, ko, dim, scores, 4 * CHUNK);
          selectTile(scores, 0, thresholds, q0, firstKey + c, validKeys - c, topK);
        }
      }
    }
  }

  /**
   * Scores of four query rows (packed offsets {@code o0..o3}, each advancing one tile row per
   * dimension) × CHUNK keys into rows {@code out[at..]}, {@code out[at + CHUNK..]}, ...
   */
  private static void multiplyRows(float[] queries, int o0, int o1, int o2, int o3, float[] keys,
      int ko, int dim, float[] out, int at) {
    FloatVector a00 = FloatVector.zero(SPECIES), a01 = a00, a02 = a00, a03 = a00;
    FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
    FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00;
    FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
    for (int p = 0; p < dim; p++, ko += KEYS_PER_PANEL) {
      int step = p * QUERIES_PER_TILE;
      FloatVector k0 = FloatVector.fromArray(SPECIES, keys, ko);
      FloatVector k1 = FloatVector.fromArray(SPECIES, keys, ko + LANES);
      FloatVector k2 = FloatVector.fromArray(SPECIES, keys, ko + 2 * LANES);
      FloatVector k3 = FloatVector.fromArray(SPECIES, keys, ko + 3 * LANES);
      FloatVector b = FloatVector.broadcast(SPECIES, queries[o0 + step]);
      a00 = b.fma(k0, a00);
      a01 = b.fma(k1, a01);
      a02 = b.fma(k2, a02);
      a03 = b.fma(k3, a03);
      b = FloatVector.broadcast(SPECIES, queries[o1 + step]);
      a10 = b.fma(k0, a10);
      a11 = b.fma(k1, a11);
      a12 = b.fma(k2, a12);
      a13 = b.fma(k3, a13);
      b = FloatVector.broadcast(SPECIES, queries[o2 + step]);
      a20 = b.fma(k0, a20);
      a21 = b.fma(k1, a21);
      a22 = b.fma(k2, a22);
      a23 = b.fma(k3, a23);
      b = FloatVector.broadcast(SPECIES, queries[o3 + step]);
      a30 = b.fma(k0, a30);
      a31 = b.fma(k1, a31);
      a32 = b.fma(k2, a32);
      a33 = b.fma(k3, a33);
    }
    a00.intoArray(out, at);
    a01.intoArray(out, at + LANES);
    a02.intoArray(out, at + 2 * LANES);
    a03.intoArray(out, at + 3 * LANES);
    a10.intoArray(out, at + CHUNK);
    a11.intoArray(out, at + CHUNK + LANES);
    a12.intoArray(out, at + CHUNK + 2 * LANES);
    a13.intoArray(out, at + CHUNK + 3 * LANES);
    a20.intoArray(out, at + 2 * CHUNK);
    a21.intoArray(out, at + 2 * CHUNK + LANES);
    a22.intoArray(out, at + 2 * CHUNK + 2 * LANES);
    a23.intoArray(out, at + 2 * CHUNK + 3 * LANES);
    a30.intoArray(out, at + 3 * CHUNK);
    a31.intoArray(out, at + 3 * CHUNK + LANES);
    a32.intoArray(out, at + 3 * CHUNK + 2 * LANES);
    a33.intoArray(out, at + 3 * CHUNK + 3 * LANES);
  }

  /**
   * The register block: scores of 6 queries × CHUNK keys into {@code out} (row-major). Vectors never
   * cross a method boundary (a non-inlined call would box them).
   */
  private static void multiplyTile(float[] queries, int qo, float[] keys, int ko, int dim,
      float[] out) {
    FloatVector a00 = FloatVector.zero(SPECIES), a01 = a00, a02 = a00, a03 = a00;
    FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
    FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00;
    FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
    FloatVector a40 = a00, a41 = a00, a42 = a00, a43 = a00;
    FloatVector a50 = a00, a51 = a00, a52 = a00, a53 = a00;
    for (int p = 0; p < dim; p++, ko += KEYS_PER_PANEL, qo += QUERIES_PER_TILE) {
      FloatVector k0 = FloatVector.fromArray(SPECIES, keys, ko);
      FloatVector k1 = FloatVector.fromArray(SPECIES, keys, ko + LANES);
      FloatVector k2 = FloatVector.fromArray(SPECIES, keys, ko + 2 * LANES);
      FloatVector k3 = FloatVector.fromArray(SPECIES, keys, ko + 3 * LANES);
      FloatVector b = FloatVector.broadcast(SPECIES, queries[qo]);
      a00 = b.fma(k0, a00);
      a01 = b.fma(k1, a01);
      a02 = b.fma(k2, a02);
      a03 = b.fma(k3, a03);
      b = FloatVector.broadcast(SPECIES, queries[qo + 1]);
      a10 = b.fma(k0, a10);
      a11 = b.fma(k1, a11);
      a12 = b.fma(k2, a12);
      a13 = b.fma(k3, a13);
      b = FloatVector.broadcast(SPECIES, queries[qo + 2]);
      a20 = b.fma(k0, a20);
      a21 = b.fma(k1, a21);
      a22 = b.fma(k2, a22);
      a23 = b.fma(k3, a23);
      b = FloatVector.broadcast(SPECIES, queries[qo + 3]);
      a30 = b.fma(k0, a30);
      a31 = b.fma(k1, a31);
      a32 = b.fma(k2, a32);
      a33 = b.fma(k3, a33);
      b = FloatVector.broadcast(SPECIES, queries[qo + 4]);
      a40 = b.fma(k0, a40);
      a41 = b.fma(k1, a41);
      a42 = b.fma(k2, a42);
      a43 = b.fma(k3, a43);
      b = FloatVector.broadcast(SPECIES, queries[qo + 5]);
      a50 = b.fma(k0, a50);
      a51 = b.fma(k1, a51);
      a52 = b.fma(k2, a52);
      a53 = b.fma(k3, a53);
    }
    a00.intoArray(out, 0);
    a01.intoArray(out, LANES);
    a02.intoArray(out, 2 * LANES);
    a03.intoArray(out, 3 * LANES);
    a10.intoArray(out, CHUNK);
    a11.intoArray(out, CHUNK + LANES);
    a12.intoArray(out, CHUNK + 2 * LANES);
    a13.intoArray(out, CHUNK + 3 * LANES);
    a20.intoArray(out, 2 * CHUNK);
    a21.intoArray(out, 2 * CHUNK + LANES);
    a22.intoArray(out, 2 * CHUNK + 2 * LANES);
    a23.intoArray(out, 2 * CHUNK + 3 * LANES);
    a30.intoArray(out, 3 * CHUNK);
    a31.intoArray(out, 3 * CHUNK + LANES);
    a32.intoArray(out, 3 * CHUNK + 2 * LANES);
    a33.intoArray(out, 3 * CHUNK + 3 * LANES);
    a40.intoArray(out, 4 * CHUNK);
    a41.intoArray(out, 4 * CHUNK + LANES);
    a42.intoArray(out, 4 * CHUNK + 2 * LANES);
    a43.intoArray(out, 4 * CHUNK + 3 * LANES);
    a50.intoArray(out, 5 * CHUNK);
    a51.intoArray(out, 5 * CHUNK + LANES);
    a52.intoArray(out, 5 * CHUNK + 2 * LANES);
    a53.intoArray(out, 5 * CHUNK + 3 * LANES);
  }

  /**
   * Fused selection for one tile: each query's CHUNK scores against its threshold in vector
   * compares; only rows holding a candidate go to the scalar offers, in ascending key order.
   */
  private static void selectTile(float[] scores, int at, float[] thresholds, int q0, int key,
      int valid, BlockTopK topK) {
    int limit = Math.min(valid, CHUNK);
    for (int r = 0; r < QUERIES_PER_TILE; r++) {
      int q = q0 + r;
      float threshold = thresholds[q];
      int row = at + r * CHUNK;
      boolean any = false;
      for (int v = 0; v < CHUNK; v += LANES) {
        any |= FloatVector.fromArray(SPECIES, scores, row + v)
            .compare(VectorOperators.GE, threshold).anyTrue();
      }
      if (any) {
        for (int j = 0; j < limit; j++) {
          if (scores[row + j] >= thresholds[q]) {
            topK.offer(q, key + j, scores[row + j]);
          }
        }
      }
    }
  }
}
