package org.ctx4j.core;

import java.util.Optional;
import org.ctx4j.core.retrieval.DeviceIndexFactory;
import org.ctx4j.core.retrieval.RetrievalOptions;

/**
 * Encodes preprocessed images (float32 NCHW, already resized, cropped and normalised by {@link
 * ClipPreprocessor}) with a CLIP vision tower. Implementations may hold native resources: whoever creates an encoder closes it (a {@code ClipModel} closes the encoders it hands out).
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

  /**
   * An exact top-k index on this encoder's device when that is not the CPU (a GPU), so that a
   * build with default {@link RetrievalOptions} retrieves there too. Empty by default (the CPU
   * index).
   */
  default Optional<DeviceIndexFactory> retrievalIndexOnDevice() {
    return Optional.empty();
  }

  /**
   * Encodes the first {@code batch} images laid out contiguously in {@code pixels} as {@code
   * [batch, 3, inputSize, inputSize]} (the array may be longer).
   *
   * <p>Batch invariance: an image's outputs must not depend on the other images of the call, nor
   * on its position in it, so that a build gives the same bytes whatever its batch size or resume
   * point. Encoders on engines whose arithmetic depends on the batch shape run a fixed shape (see
   * {@link #preferredBatch()}).
   */
  ImageEncoding encode(float[] pixels, int batch);

  /**
   * The number of images the encoder computes per forward pass (it pads shorter passes); calls
   * with a multiple of it waste no work. 1 when any count is as efficient.
   */
  default int preferredBatch() {
    return 1;
  }

  @Override
  void close();

  /**
   * Per-image outputs, row-major: {@code pooled} is {@code [batch, pooledDim]} and {@code
   * embeddings} is {@code [batch, embedDim]}, L2-normalised.
   */
  record ImageEncoding(int batch, int pooledDim, int embedDim, float[] pooled, float[] embeddings) {}
}
