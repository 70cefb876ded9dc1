package org.ctx4j.clip.internal;

import ai.djl.ndarray.NDList;

/**
 * Copies the first {@code n} rows of a chunk's float32 {@code [pooled, embeddings]} into the whole
 * batch's heap arrays (rows past {@code n} are padding).
 */
final class Outputs {
  private Outputs() {}

  static void copy(
      NDList out, int start, int n, int pooledDim, int embedDim, float[] pooled, float[] emb) {
    float[] p = out.get(0).toFloatArray();
    float[] e = out.get(1).toFloatArray();
    assert p.length >= n * pooledDim && e.length >= n * embedDim;
    System.arraycopy(p, 0, pooled, start * pooledDim, n * pooledDim);
    System.arraycopy(e, 0, emb, start * embedDim, n * embedDim);
  }
}
