package org.ctx4j.core.internal.retrieval;

/**
 * Where a loaded key panel lies: {@code data[offset …]} in {@link PanelLayout} order. Stores that
 * keep packed float32 panels point into their own array; the others expand into {@link #scratch}.
 * One cursor per thread; not thread-safe.
 */
public final class PanelCursor {
  final float[] scratch;
  float[] data;
  int offset;

  public PanelCursor(int dim) {
    this.scratch = new float[dim * PanelLayout.KEYS_PER_PANEL];
  }

  private float[] row;

  /** A per-cursor row buffer of at least {@code dim} floats. */
  float[] row(int dim) {
    if (row == null || row.length < dim) {
      row = new float[dim];
    }
    return row;
  }

  public float[] data() {
    return data;
  }

  public int offset() {
    return offset;
  }
}
