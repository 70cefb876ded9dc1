package org.ctx4j.clip.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;

/** The common tail of both towers: float32 outputs and the L2-normalised embedding. */
public final class ProjectionHead {
  private ProjectionHead() {}

  public static NDList finish(NDArray pooled, NDArray projected) {
    NDArray pooled32 = pooled.toType(DataType.FLOAT32, false);
    NDArray projected32 = projected.toType(DataType.FLOAT32, false);
    NDArray norm = projected32.norm(new int[] {-1}, true);
    return new NDList(pooled32, projected32.div(norm));
  }
}
