package org.ctx4j.core.internal.retrieval;

import static org.ctx4j.core.internal.retrieval.PanelLayout.KEYS_PER_PANEL;

/**
 * Float32 keys copied once into packed panels on the heap; loading a panel copies nothing. Panels
 * live in several arrays so that matrices above 2^31 floats fit.
 */
public final class PackedFloatPanels implements KeyPanels {
  private static final int MAX_CHUNK_FLOATS = 1 << 30;

  private final int size;
  private final int dim;
  private final int panelsPerChunk;
  private final float[][] chunks;

  private PackedFloatPanels(int size, int dim) {
    this.size = size;
    this.dim = dim;
    int panelFloats = dim * KEYS_PER_PANEL;
    this.panelsPerChunk = Math.max(1, MAX_CHUNK_FLOATS / panelFloats);
    int panels = PanelLayout.panelCount(size);
    int chunkCount = (panels + panelsPerChunk - 1) / panelsPerChunk;
    this.chunks = new float[chunkCount][];
    for (int c = 0; c < chunkCount; c++) {
      int panelsHere = Math.min(panelsPerChunk, panels - c * panelsPerChunk);
      chunks[c] = new float[panelsHere * panelFloats];
    }
  }

  /** Packs row-major keys {@code [n, dim]}; checks every component is finite. */
  public static PackedFloatPanels pack(float[] keys, int n, int dim, String source) {
    PackedFloatPanels panels = new PackedFloatPanels(n, dim);
    for (int key = 0; key < n; key++) {
      int panel = key / KEYS_PER_PANEL;
      float[] chunk = panels.chunks[panel / panels.panelsPerChunk];
      int base = (panel % panels.panelsPerChunk) * dim * KEYS_PER_PANEL + key % KEYS_PER_PANEL;
      int row = key * dim;
      for (int p = 0; p < dim; p++) {
        float v = keys[row + p];
        if (!Float.isFinite(v)) {
          throw KeyChecks.nonFinite(source, key, p, v);
        }
        chunk[base + p * KEYS_PER_PANEL] = v;
      }
    }
    return panels;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public int dim() {
    return dim;
  }

  @Override
  public long storageBytes() {
    long total = 0;
    for (float[] chunk : chunks) {
      total += 4L * chunk.length;
    }
    return total;
  }

  @Override
  public void load(int panel, PanelCursor cursor) {
    cursor.data = chunks[panel / panelsPerChunk];
    cursor.offset = (panel % panelsPerChunk) * dim * KEYS_PER_PANEL;
  }

  @Override
  public String source() {
    return "heap keys";
  }

  @Override
  public void close() {}
}
