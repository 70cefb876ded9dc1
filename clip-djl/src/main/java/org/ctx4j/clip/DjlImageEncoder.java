package org.ctx4j.clip;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.google.common.base.Preconditions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Optional;
import org.ctx4j.clip.internal.ModelIdentity;
import org.ctx4j.clip.retrieval.DjlTopKIndex;
import org.ctx4j.core.ImageEncoder;
import org.ctx4j.core.retrieval.DeviceIndexFactory;

/**
 * {@link ImageEncoder} over {@link VisionTower}, in forward passes of exactly maxBatch images: a
 * short last chunk is padded with zero images whose outputs are dropped.
 *
 * <p>Why a fixed shape: libtorch's sgemm (MKL) computes a row with different rounding depending on
 * the matrix shape — measured on the CPU build, rows past the last multiple of 4 of a GEMM with
 * fewer than ~13 rows (the last layer's class-token rows and the projection see one row per image)
 * differ by a few ulp from the same rows in a larger GEMM. With one shape for every forward pass, a
 * row's result depends only on its own pixels, so a build writes the same bytes whatever its batch
 * size, thread count or resume point (tested by BatchInvarianceTest). Callers that pass multiples of
 * {@link #preferredBatch()} images waste nothing; the image pass does.
 */
final class DjlImageEncoder extends TowerScope implements ImageEncoder {
  private final VisionTower tower;
  private final ClipConfig config;
  /**
   * Reused native staging area for one forward pass's pixels. Handing DJL a heap array makes it
   * allocate a fresh direct buffer per call; first-touching those pages cost ~3.5 ms per 224 px
   * image on the benchmark VM, more than the tiny tower itself (benchmarks/results/pipeline.md).
   */
  private ByteBuffer staging;

  private static final float[] ZEROS = new float[1 << 14];

  DjlImageEncoder(
      NDManager weights, VisionTower tower, ClipConfig config, int maxBatch,
      ModelIdentity identity) {
    super(weights, maxBatch, identity, "image encoder");
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
        ByteBuffer input = stage(pixels, start * perImage, n * perImage, maxBatch * perImage);
        NDList out = tower.forward(scope, input, maxBatch);
        Outputs.copy(out, start, n, pooledDim(), embedDim(), pooled, embeddings);
      }
    }
    return new ImageEncoding(batch, pooledDim(), embedDim(), pooled, embeddings);
  }

  /** On a GPU, the exact DJL index on the same GPU (bit-identical to the CPU index's results). */
  @Override
  public Optional<DeviceIndexFactory> retrievalIndexOnDevice() {
    return device().isGpu() ? Optional.of(DjlTopKIndex.onDevice(device())) : Optional.empty();
  }

  @Override
  public String numerics() {
    return super.numerics() + ", forward pass of " + maxBatch + " images";
  }

  @Override
  public int preferredBatch() {
    return maxBatch;
  }

  /**
   * Copies {@code count} floats into the staging buffer and zero-fills it up to {@code padded};
   * returns a native-order view of those {@code padded} floats.
   */
  private ByteBuffer stage(float[] pixels, int offset, int count, int padded) {
    int bytes = Math.multiplyExact(padded, Float.BYTES);
    if (staging == null || staging.capacity() < bytes) {
      staging = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
    }
    ByteBuffer view = staging.slice(0, bytes).order(ByteOrder.nativeOrder());
    FloatBuffer floats = view.asFloatBuffer();
    floats.put(pixels, offset, count);
    while (floats.hasRemaining()) {
      floats.put(ZEROS, 0, Math.min(ZEROS.length, floats.remaining()));
    }
    return view;
  }

  @Override
  public void close() {
    staging = null;
    super.close();
  }
}
