package org.ctx4j.clip.internal;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.google.common.base.Preconditions;
import org.ctx4j.clip.ClipConfig;
import org.ctx4j.core.ImageEncoder;

/** {@link ImageEncoder} over {@link VisionTower}, in forward passes of at most maxBatch images. */
public final class DjlImageEncoder extends TowerScope implements ImageEncoder {
  private final VisionTower tower;
  private final ClipConfig config;

  DjlImageEncoder(
      NDManager weights, VisionTower tower, ClipConfig config, int maxBatch, String modelId) {
    super(weights, maxBatch, modelId, "image encoder");
    this.tower = tower;
    this.config = config;
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
  public ImageEncoding encode(float[] pixels, int batch) {
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
      try (NDManager scope = newBatchScope()) {
        NDList out = tower.forward(scope, pixels, start * perImage, n);
        Outputs.copy(out, start, n, pooledDim(), embedDim(), pooled, embeddings);
      }
    }
    return new ImageEncoding(batch, pooledDim(), embedDim(), pooled, embeddings);
  }

  @Override
  public void close() {
    super.close();
  }
}
