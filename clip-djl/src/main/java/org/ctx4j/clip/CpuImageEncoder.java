package org.ctx4j.clip;

import com.google.common.base.Preconditions;
import org.ctx4j.clip.internal.ModelIdentity;
import org.ctx4j.core.ImageEncoder;

/**
 * What the two CPU vision towers share (the Java route's and onnxruntime's): sizes from the
 * config, the argument checks, and splitting a call into forward passes of at most the model's
 * batch; each subclass computes one pass. Weights live on the heap or in onnxruntime, so there is
 * no native manager.
 */
abstract class CpuImageEncoder extends TowerScope implements ImageEncoder {
  final ClipConfig.VisionConfig config;
  final int perImage;
  private final int embedDim;

  CpuImageEncoder(ClipConfig clip, int maxBatch, ModelIdentity identity) {
    super(null, maxBatch, identity, "image encoder");
    this.config = clip.vision();
    this.embedDim = clip.projectionDim();
    this.perImage = config.numChannels() * config.imageSize() * config.imageSize();
  }

  @Override
  public int inputSize() {
    return config.imageSize();
  }

  @Override
  public int pooledDim() {
    return config.hiddenSize();
  }

  @Override
  public int embedDim() {
    return embedDim;
  }

  @Override
  public int preferredBatch() {
    return maxBatch;
  }

  @Override
  public String numerics() {
    return super.numerics() + ", image rows independent of the batch";
  }

  @Override
  public ImageEncoding encode(float[] pixels, int batch) {
    checkOpen();
    Preconditions.checkArgument(batch >= 0, "batch (%s) < 0", batch);
    int size = inputSize();
    Preconditions.checkArgument(
        pixels.length >= (long) batch * perImage,
        "pixels hold %s floats, %s images of %s need %s",
        pixels.length, batch, config.numChannels() + "x" + size + "x" + size,
        (long) batch * perImage);
    float[] pooled = new float[batch * pooledDim()];
    float[] embeddings = new float[batch * embedDim()];
    for (int start = 0; start < batch; start += maxBatch) {
      int n = Math.min(maxBatch, batch - start);
      float[][] out = forward(pixels, start * perImage, n);
      System.arraycopy(out[0], 0, pooled, start * pooledDim(), n * pooledDim());
      System.arraycopy(out[1], 0, embeddings, start * embedDim(), n * embedDim());
    }
    return new ImageEncoding(batch, pooledDim(), embedDim(), pooled, embeddings);
  }

  /**
   * One forward pass over images {@code pixels[offset ..]} ({@code batch} of them, at most the
   * model's batch): their pooled rows and unit embeddings, at least {@code batch} rows each.
   */
  abstract float[][] forward(float[] pixels, int offset, int batch);
}
