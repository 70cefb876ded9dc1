package org.ctx4j.clip.internal;

import ai.djl.ndarray.NDList;

/** Copies a chunk's float32 {@code [pooled, embeddings]} into the whole batch's heap arrays. */
final class Outputs {
  private Outputs() {}

  static void copy(
      NDList out, int start, int n, int pooledDim, int embedDim, float[] pooled, float[] emb) {
    float[] p = out.get(0).toFloatArray();
    float[] e = out.get(1).toFloatArray();
    assert p.length == n * pooledDim && e.length == n * embedDim;
    System.arraycopy(p, 0, pooled, start * pooledDim, p.length);
    System.arraycopy(e, 0, emb, start * embedDim, e.length);
  }
}
