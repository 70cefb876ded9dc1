package org.ctx4j.core;

import java.util.List;

/**
 * Encodes short texts with a CLIP text tower. Implementations may hold native resources: whoever creates an encoder closes it (a {@code ClipModel} closes the encoders it hands out). Not
 * required to be thread-safe.
 */
public interface TextEncoder extends AutoCloseable {

  /** Width of the pooled output before projection (512 for ViT-B/32): what txt_ctx stores. */
  int featureDim();

  /** Width of the projected embedding (512 for ViT-B/32): the retrieval key. */
  int embedDim();

  /** Identifies the model for provenance attributes and resume checks. */
  String modelId();

  /**
   * A digest of everything that determines this encoder's outputs besides its input: weights,
   * config, tokenizer and preprocessor files (e.g. {@link ContentDigest#ofFiles}). Builds record it
   * in their manifest and files and refuse to resume or reuse files made with another value, so
   * that one file never mixes two models. The default identifies the model by {@link #modelId()}
   * only, which cannot tell two checkpoints of the same name apart: override it.
   */
  default String contentDigest() {
    return "name:" + modelId();
  }

  /**
   * How outputs are computed where that can change their last bits: engine and version, device,
   * precision, thread count. Recorded beside {@link #contentDigest()}: a build resumed with other
   * numerics is refused, because its files would mix rows rounded two ways. Empty by default.
   */
  default String numerics() {
    return "";
  }

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
