package org.ctx4j.core.internal.retrieval;

/** Row-by-row read access to a row-major key matrix, used while building an index. */
public interface KeyRows {
  int size();

  int dim();

  /** Copies key {@code key} into {@code row[0 .. dim)}. */
  void read(int key, float[] row);

  String source();

  /** Rows of a heap array {@code [n, dim]}. */
  static KeyRows of(float[] keys, int n, int dim) {
    return new KeyRows() {
      @Override
      public int size() {
        return n;
      }

      @Override
      public int dim() {
        return dim;
      }

      @Override
      public void read(int key, float[] row) {
        System.arraycopy(keys, key * dim, row, 0, dim);
      }

      @Override
      public String source() {
        return "heap keys";
      }
    };
  }
}
