package org.ctx4j.clip.internal;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.google.common.base.Preconditions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.ctx4j.clip.ClipConfig;
import org.ctx4j.core.ImageEncoder;

/** {@link ImageEncoder} over {@link VisionTower}, in forward passes of at most maxBatch images. */
public final class DjlImageEncoder extends TowerScope implements ImageEncoder {
  private final VisionTower tower;
  private final ClipConfig config;
  /**
   * Reused native staging area for one forward pass's pixels. Handing DJL a heap array makes it
   * allocate a fresh direct buffer per call; first-touching those pages cost ~3.5 ms per 224 px
   * image on the benchmark VM, more than the tiny tower itself (benchmarks/results/pipeline.md).
   */
  private ByteBuffer staging;

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
        NDList out = tower.forward(scope, stage(pixels, start * perImage, n * perImage), n);
        Outputs.copy(out, start, n, pooledDim(), embedDim(), pooled, embeddings);
      }
    }
    return new ImageEncoding(batch, pooledDim(), embedDim(), pooled, embeddings);
  }

  /** Copies {@code count} floats into the staging buffer; returns a native-order view of them. */
  private ByteBuffer stage(float[] pixels, int offset, int count) {
    int bytes = Math.multiplyExact(count, Float.BYTES);
    if (staging == null || staging.capacity() < bytes) {
      staging = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
    }
    ByteBuffer view = staging.slice(0, bytes).order(ByteOrder.nativeOrder());
    view.asFloatBuffer().put(pixels, offset, count);
    return view;
  }

  @Override
  public void close() {
    staging = null;
    super.close();
  }
}
