package org.ctx4j.core.internal.retrieval;

/**
 * The retrieval kernel SPI: fused multiply and selection for one key panel against one block of
 * query tiles. Implementations must compute every score as the fused multiply-add chain described in
 * {@link PanelLayout} (so all kernels agree bit for bit) and offer to {@link BlockTopK#offer} every
 * valid key whose score is {@code >=} the query's current threshold, in ascending key order per query.
 * Stateless and thread-safe.
 */
public interface TopKKernel {

  /** Short name for logs and benchmarks ("scalar", "vector-512"). */
  String name();

  /**
   * @param queries packed query tiles ({@link PanelLayout#packQueries})
   * @param tiles number of tiles to score
   * @param dim vector dimension
   * @param keys array holding the key panel
   * @param keyOffset index of the panel's first float in {@code keys}
   * @param firstKey key index of the panel's column 0
   * @param validKeys number of real (non-padding) keys in the panel, 1..64
   * @param topK selection state of the query block
   */
  void scorePanel(float[] queries, int tiles, int dim, float[] keys, int keyOffset, int firstKey,
      int validKeys, BlockTopK topK);
}
