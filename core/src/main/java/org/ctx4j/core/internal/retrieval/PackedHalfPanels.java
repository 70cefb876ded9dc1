package org.ctx4j.core.internal.retrieval;

import static org.ctx4j.core.internal.retrieval.PanelLayout.KEYS_PER_PANEL;

import org.ctx4j.InvalidKeysException;

/**
 * Keys rounded once to binary16 or bfloat16 and packed in panels of shorts (half the memory of
 * float32). {@link #load} widens a panel exactly into the cursor's float32 scratch; a query block
 * then reuses it for all its queries, so the conversion costs one pass per (block, panel).
 */
public final class PackedHalfPanels implements KeyPanels {
  private static final int MAX_CHUNK_SHORTS = 1 << 30;

  private final int size;
  private final int dim;
  private final boolean bfloat16;
  private final int panelsPerChunk;
  private final short[][] chunks;

  private PackedHalfPanels(int size, int dim, boolean bfloat16) {
    this.size = size;
    this.dim = dim;
    this.bfloat16 = bfloat16;
    int panelShorts = dim * KEYS_PER_PANEL;
    this.panelsPerChunk = Math.max(1, MAX_CHUNK_SHORTS / panelShorts);
    int panels = PanelLayout.panelCount(size);
    int chunkCount = (panels + panelsPerChunk - 1) / panelsPerChunk;
    this.chunks = new short[chunkCount][];
    for (int c = 0; c < chunkCount; c++) {
      int panelsHere = Math.min(panelsPerChunk, panels - c * panelsPerChunk);
      chunks[c] = new short[panelsHere * panelShorts];
    }
  }

  /**
   * Reads keys row by row from {@code rows} and packs them rounded to bfloat16 if {@code bf16},
   * else to IEEE binary16.
   */
  public static PackedHalfPanels pack(KeyRows rows, boolean bf16) {
    int n = rows.size();
    int dim = rows.dim();
    PackedHalfPanels panels = new PackedHalfPanels(n, dim, bf16);
    float[] row = new float[dim];
    for (int key = 0; key < n; key++) {
      rows.read(key, row);
      int panel = key / KEYS_PER_PANEL;
      short[] chunk = panels.chunks[panel / panels.panelsPerChunk];
      int base = (panel % panels.panelsPerChunk) * dim * KEYS_PER_PANEL + key % KEYS_PER_PANEL;
      for (int p = 0; p < dim; p++) {
        float v = row[p];
        if (!Float.isFinite(v)) {
          throw KeyChecks.nonFinite(rows.source(), key, p, v);
        }
        if (!bf16 && Math.abs(v) > HalfFloats.MAX_FLOAT16) {
          throw new InvalidKeysException(rows.source(), key, "key " + key + " component " + p + " ("
              + v + ") exceeds the float16 range (65504) in " + rows.source()
              + ": use KeyPrecision.BFLOAT16 or FLOAT32");
        }
        chunk[base + p * KEYS_PER_PANEL] =
            bf16 ? HalfFloats.floatToBfloat16(v) : HalfFloats.floatToFloat16(v);
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
    for (short[] chunk : chunks) {
      total += 2L * chunk.length;
    }
    return total;
  }

  @Override
  public void load(int panel, PanelCursor cursor) {
    short[] chunk = chunks[panel / panelsPerChunk];
    int base = (panel % panelsPerChunk) * dim * KEYS_PER_PANEL;
    float[] out = cursor.scratch;
    int length = dim * KEYS_PER_PANEL;
    if (bfloat16) {
      for (int i = 0; i < length; i++) {
        out[i] = Float.intBitsToFloat(chunk[base + i] << 16);
      }
    } else {
      float[] table = HalfFloats.float16Table();
      for (int i = 0; i < length; i++) {
        out[i] = table[chunk[base + i] & 0xffff];
      }
    }
    cursor.data = out;
    cursor.offset = 0;
  }

  @Override
  public String source() {
    return "heap keys";
  }

  @Override
  public void close() {}
}
