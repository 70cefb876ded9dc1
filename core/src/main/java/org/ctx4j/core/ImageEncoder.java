package org.ctx4j.core;

/**
 * Encodes preprocessed images (float32 NCHW, already resized, cropped and normalised by {@link
 * ClipPreprocessor}) with a CLIP vision tower. Implementations own native resources: close them.
 * Not required to be thread-safe.
 */
public interface ImageEncoder extends AutoCloseable {

  /** Side of the square input in pixels (224 for ViT-B/32). */
  int inputSize();

  /** Width of the pooled output before projection (768 for ViT-B/32): what vis_ctx stores. */
  int pooledDim();

  /** Width of the projected embedding (512 for ViT-B/32): the retrieval query. */
  int embedDim();

  /** Identifies the model for provenance attributes and resume checks (e.g. its directory name). */
  String modelId();

  /**
   * Encodes {@code batch} images laid out contiguously in {@code pixels} as {@code [batch, 3,
   * inputSize, inputSize]}.
   */
  ImageEncoding encode(float[] pixels, int batch);

  @Override
  void close();

  /**
   * Per-image outputs, row-major: {@code pooled} is {@code [batch, pooledDim]} and {@code
   * embeddings} is {@code [batch, embedDim]}, L2-normalised.
   */
  record ImageEncoding(int batch, int pooledDim, int embedDim, float[] pooled, float[] embeddings) {}
}
