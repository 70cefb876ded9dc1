package org.ctx4j.clip;

import org.ctx4j.clip.internal.CheckpointLayout;
import org.ctx4j.clip.internal.CpuPool;
import org.ctx4j.clip.internal.CpuTransformer;
import org.ctx4j.clip.internal.GemmKernel;
import org.ctx4j.clip.internal.ModelIdentity;
import org.ctx4j.clip.internal.PackedMatrix;
import org.ctx4j.clip.internal.Safetensors;
import org.ctx4j.clip.internal.TransformerEncoder;

/**
 * The vision tower on the Java CPU route: patch embedding as a GEMM over flattened patches, class
 * token and position embeddings, pre-layernorm, the encoder (no mask), post-layernorm of the class
 * token (pooled output), projection. No padding: each image's rows are computed from its own
 * pixels only (see {@link CpuTransformer}), so chunks of any size give the same bits.
 */
final class JavaImageEncoder extends CpuImageEncoder {
  private final CpuTransformer encoder;
  private final PackedMatrix patchEmbedding;
  private final float[] classWithPosition;
  private final float[] positions;
  private final float[] preNormScale;
  private final float[] preNormShift;
  private final float[] postNormScale;
  private final float[] postNormShift;
  private final PackedMatrix projection;

  JavaImageEncoder(
      Safetensors file, ClipConfig clip, GemmKernel kernel, CpuPool pool, int maxBatch,
      ModelIdentity identity) {
    super(clip, maxBatch, identity);
    String p = CheckpointLayout.VISION;
    int d = config.hiddenSize();
    int patch = config.numChannels() * config.patchSize() * config.patchSize();
    int w = kernel.panelWidth();
    patchEmbedding =
        PackedMatrix.pack(
            file.readFloats(p + "embeddings.patch_embedding.weight", d, config.numChannels(),
                config.patchSize(), config.patchSize()), null, d, patch, w);
    positions =
        file.readFloats(p + "embeddings.position_embedding.weight", config.numPositions(), d);
    float[] cls = file.readFloats(p + "embeddings.class_embedding", d);
    classWithPosition = new float[d];
    for (int c = 0; c < d; c++) {
      classWithPosition[c] = cls[c] + positions[c];
    }
    preNormScale = file.readFloats(p + "pre_layrnorm.weight", d);
    preNormShift = file.readFloats(p + "pre_layrnorm.bias", d);
    encoder =
        CpuTransformer.load(
            file, p, config.numLayers(), d, config.intermediateSize(), config.numHeads(),
            config.layerNormEps(),
            TransformerEncoder.Act.of(config.hiddenAct(), "vision_config.hidden_act"), kernel,
            pool);
    postNormScale = file.readFloats(p + "post_layernorm.weight", d);
    postNormShift = file.readFloats(p + "post_layernorm.bias", d);
    projection =
        PackedMatrix.pack(
            file.readFloats("visual_projection.weight", embedDim(), d), null, embedDim(), d, w);
  }

  @Override
  float[][] forward(float[] pixels, int offset, int batch) {
    int d = config.hiddenSize();
    int size = config.imageSize();
    int ps = config.patchSize();
    int grid = config.gridSize();
    int channels = config.numChannels();
    int patches = grid * grid;
    int k = channels * ps * ps;
    float[] flat = new float[batch * patches * k];
    for (int b = 0; b < batch; b++) {
      for (int gy = 0; gy < grid; gy++) {
        for (int gx = 0; gx < grid; gx++) {
          int row = (b * patches + gy * grid + gx) * k;
          for (int c = 0; c < channels; c++) {
            for (int i = 0; i < ps; i++) {
              int src = offset + ((b * channels + c) * size + gy * ps + i) * size + gx * ps;
              System.arraycopy(pixels, src, flat, row + (c * ps + i) * ps, ps);
            }
          }
        }
      }
    }
    float[] embedded = encoder.linear(flat, batch * patches, patchEmbedding, null, false);
    int length = patches + 1;
    float[] h = new float[batch * length * d];
    int[] starts = new int[batch];
    int[] lengths = new int[batch];
    int[] classRows = new int[batch];
    for (int b = 0; b < batch; b++) {
      int base = b * length;
      starts[b] = base;
      lengths[b] = length;
      classRows[b] = base;
      System.arraycopy(classWithPosition, 0, h, base * d, d);
      for (int t = 0; t < patches; t++) {
        int to = (base + 1 + t) * d;
        int from = (b * patches + t) * d;
        int pos = (1 + t) * d;
        for (int c = 0; c < d; c++) {
          h[to + c] = embedded[from + c] + positions[pos + c];
        }
      }
    }
    float[] normed = encoder.layerNorm(h, batch * length, preNormScale, preNormShift);
    float[] states =
        encoder.forward(normed, new CpuTransformer.Sequences(starts, lengths, false), classRows);
    return encoder.head(states, batch, postNormScale, postNormShift, projection);
  }
}
