package org.ctx4j.clip;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.google.common.base.Preconditions;
import org.ctx4j.clip.internal.ModelIdentity;

/**
 * What all encoders share: the native manager that owns a tower's weights (null for the Java CPU
 * route, whose weights live on the heap), the most items per
 * forward pass, and the model id. Each forward runs in a child manager ({@link #newBatchScope()})
 * closed as soon as its outputs are on the heap, so native memory does not grow with the number of
 * batches; {@link #close()} frees the weights.
 */
class TowerScope implements AutoCloseable {
  private final NDManager weights;
  final int maxBatch;
  private final ModelIdentity identity;
  private final String modelId;
  private final String what;
  private boolean closed;

  TowerScope(NDManager weights, int maxBatch, ModelIdentity identity, String what) {
    this.weights = weights;
    this.maxBatch = maxBatch;
    this.identity = identity;
    this.modelId = identity.modelId();
    this.what = what;
  }

  NDManager newBatchScope() {
    checkOpen();
    return weights.newSubManager();
  }

  /** The device the tower runs on. */
  Device device() {
    return weights.getDevice();
  }

  /** Throws, naming the tower and model, once this tower or its model is closed. */
  void checkOpen() {
    Preconditions.checkState(
        !isClosed(), "the %s of CLIP model %s is closed (its model, or itself)", what, modelId);
  }

  public String modelId() {
    return modelId;
  }

  public String contentDigest() {
    return identity.contentDigest().get();
  }

  /** Engine, device, precision and libtorch threads, plus the forward-pass shape when fixed. */
  public String numerics() {
    return identity.numerics();
  }

  /** Native arrays alive under this tower's manager (weights plus any leak): for tests. */
  int liveNativeArrays() {
    return weights == null ? 0 : weights.getManagedArrays().size();
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed || (weights != null && !weights.isOpen());
  }

  /** Frees the tower's native memory; later encode calls throw. Idempotent. */
  @Override
  public void close() {
    closed = true;
    if (weights != null && weights.isOpen()) {
      weights.close();
    }
  }
}
