package org.ctx4j.core.internal.retrieval;

import static org.ctx4j.core.internal.retrieval.PanelLayout.KEYS_PER_PANEL;

/** The inner loop shared by the exact and IVF indexes: one query block over a range of panels. */
public final class PanelScan {
  private PanelScan() {}

  public static void scan(TopKKernel kernel, KeyPanels keys, int firstPanel, int endPanel,
      float[] packedQueries, BlockTopK topK, PanelCursor cursor) {
    int n = keys.size();
    int dim = keys.dim();
    int tiles = PanelLayout.tileCount(topK.queries());
    for (int panel = firstPanel; panel < endPanel; panel++) {
      keys.load(panel, cursor);
      int firstKey = panel * KEYS_PER_PANEL;
      int valid = Math.min(KEYS_PER_PANEL, n - firstKey);
      kernel.scorePanel(packedQueries, tiles, dim, cursor.data, cursor.offset, firstKey, valid, topK);
    }
  }
}
