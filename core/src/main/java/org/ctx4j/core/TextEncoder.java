package org.ctx4j.core;

import java.util.List;

/**
 * Encodes short texts with a CLIP text tower. Implementations own native resources: close them. Not
 * required to be thread-safe.
 */
public interface TextEncoder extends AutoCloseable {

  /** Width of the pooled output before projection (512 for ViT-B/32): what txt_ctx stores. */
  int featureDim();

  /** Width of the projected embedding (512 for ViT-B/32): the retrieval key. */
  int embedDim();

  /** Identifies the model for provenance attributes and resume checks. */
  String modelId();

  /** Encodes the texts as one batch, padded only to its longest text. */
  TextEncoding encode(List<String> texts);

  @Override
  void close();

  /**
   * Per-text outputs, row-major: {@code features} is {@code [count, featureDim]} (pooled, before
   * projection) and {@code keys} is {@code [count, embedDim]}, L2-normalised.
   */
  record TextEncoding(int count, int featureDim, int embedDim, float[] features, float[] keys) {}
}
