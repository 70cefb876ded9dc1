package org.ctx4j.core.internal.retrieval;

/**
 * The packed layouts every kernel reads.
 *
 * <p>Keys: panels of {@link #KEYS_PER_PANEL} keys, stored dimension-major ({@code [p][j]}: component
 * p of the panel's key j at {@code p * KEYS_PER_PANEL + j}), zero-padded past the last key. A
 * dimension step of a panel is then one contiguous row of 64 floats: four 512-bit vectors.
 *
 * <p>Queries: tiles of {@link #QUERIES_PER_TILE} queries, also dimension-major ({@code [p][r]}),
 * zero-padded past the last query. Each score is accumulated as one fused multiply-add chain over
 * p = 0, 1, …, d−1 starting from 0, in every kernel, so all kernels produce bit-identical scores.
 */
public final class PanelLayout {
  /** Keys per panel. */
  public static final int KEYS_PER_PANEL = 64;
  /** Queries per tile. */
  public static final int QUERIES_PER_TILE = 6;

  private PanelLayout() {}

  /** Number of panels holding {@code n} keys. */
  public static int panelCount(int n) {
    return (n + KEYS_PER_PANEL - 1) / KEYS_PER_PANEL;
  }

  /** Number of tiles holding {@code n} queries. */
  public static int tileCount(int n) {
    return (n + QUERIES_PER_TILE - 1) / QUERIES_PER_TILE;
  }

  /**
   * Packs queries {@code [first, first + count)} of a row-major {@code [*, dim]} array into tiles.
   *
   * @return {@code tileCount(count) * dim * QUERIES_PER_TILE} floats
   */
  public static float[] packQueries(float[] queries, int first, int count, int dim) {
    int tiles = tileCount(count);
    float[] packed = new float[tiles * dim * QUERIES_PER_TILE];
    for (int q = 0; q < count; q++) {
      int tileBase = (q / QUERIES_PER_TILE) * dim * QUERIES_PER_TILE + q % QUERIES_PER_TILE;
      int row = (first + q) * dim;
      for (int p = 0; p < dim; p++) {
        packed[tileBase + p * QUERIES_PER_TILE] = queries[row + p];
      }
    }
    return packed;
  }
}
