package org.ctx4j.clip.internal;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.google.common.base.Preconditions;
import org.ctx4j.clip.ClipConfig;
import org.ctx4j.core.ImageEncoder;

/**
 * {@link ImageEncoder} over {@link VisionTower}. The tower's weights live in one native manager
 * that {@link #close()} frees; each forward of at most {@code maxBatch} images runs in a child
 * manager closed right after its outputs are copied to the heap, so native memory does not grow
 * with the number of batches.
 */
public final class DjlImageEncoder implements ImageEncoder {
  private final NDManager weights;
  private final VisionTower tower;
  private final ClipConfig config;
  private final int maxBatch;
  private final String modelId;

  DjlImageEncoder(
      NDManager weights, VisionTower tower, ClipConfig config, int maxBatch, String modelId) {
    this.weights = weights;
    this.tower = tower;
    this.config = config;
    this.maxBatch = maxBatch;
    this.modelId = modelId;
  }

  @Override
  public int inputSize() {
    return config.vision().imageSize();
  }

  @Override
  public int pooledDim() {
    return config.vision().hiddenSize();
  }

  @Override
  public int embedDim() {
    return config.projectionDim();
  }

  @Override
  public String modelId() {
    return modelId;
  }

  @Override
  public ImageEncoding encode(float[] pixels, int batch) {
    Preconditions.checkState(weights.isOpen(), "image encoder of %s is closed", modelId);
    Preconditions.checkArgument(batch >= 0, "batch (%s) < 0", batch);
    int perImage = config.vision().numChannels() * inputSize() * inputSize();
    Preconditions.checkArgument(
        pixels.length >= (long) batch * perImage,
        "pixels hold %s floats, %s images of %s need %s",
        pixels.length, batch, "3x" + inputSize() + "x" + inputSize(), (long) batch * perImage);
    float[] pooled = new float[batch * pooledDim()];
    float[] embeddings = new float[batch * embedDim()];
    for (int start = 0; start < batch; start += maxBatch) {
      int n = Math.min(maxBatch, batch - start);
      try (NDManager scope = weights.newSubManager()) {
        NDList out = tower.forward(scope, pixels, start * perImage, n);
        Outputs.copy(out, start, n, pooledDim(), embedDim(), pooled, embeddings);
      }
    }
    return new ImageEncoding(batch, pooledDim(), embedDim(), pooled, embeddings);
  }

  /** Native arrays alive under this encoder's manager (weights plus any leak): for tests. */
  int liveNativeArrays() {
    return weights.getManagedArrays().size();
  }

  @Override
  public void close() {
    weights.close();
  }
}
