package org.ctx4j.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import java.nio.ByteBuffer;
import java.util.List;
import org.ctx4j.clip.internal.CheckpointLayout;
import org.ctx4j.clip.internal.ProjectionHead;
import org.ctx4j.clip.internal.TransformerEncoder;
import org.ctx4j.clip.internal.WeightLoader;

/**
 * CLIP's vision transformer and projection: patch embedding (a strided convolution without bias),
 * class token, position embeddings, pre-layernorm, the encoder, post-layernorm of the class token
 * (the pooled output), projection.
 */
final class VisionTower {
  private final ClipConfig.VisionConfig config;
  private final DataType working;
  private final NDArray patchWeight;
  /** class_embedding + position_embedding[0], shaped [1, 1, hidden]. */
  private final NDArray classWithPosition;
  /** position_embedding[1:], shaped [1, patches, hidden]. */
  private final NDArray patchPositions;
  private final NDArray preNormScale;
  private final NDArray preNormShift;
  private final TransformerEncoder encoder;
  private final NDArray postNormScale;
  private final NDArray postNormShift;
  private final NDArray projection;

  VisionTower(WeightLoader w, ClipConfig clip, DataType working) {
    this.config = clip.vision();
    this.working = working;
    String p = CheckpointLayout.VISION;
    int d = config.hiddenSize();
    int positions = config.numPositions();
    patchWeight =
        w.load(p + "embeddings.patch_embedding.weight",
            d, config.numChannels(), config.patchSize(), config.patchSize());
    float[] cls = w.floats(p + "embeddings.class_embedding", d);
    float[] pos = w.floats(p + "embeddings.position_embedding.weight", positions, d);
    float[] first = new float[d];
    for (int i = 0; i < d; i++) {
      first[i] = cls[i] + pos[i];
    }
    classWithPosition = w.toNative(first, 1, 1, d);
    float[] rest = new float[(positions - 1) * d];
    System.arraycopy(pos, d, rest, 0, rest.length);
    patchPositions = w.toNative(rest, 1, positions - 1, d);
    preNormScale = w.load(p + "pre_layrnorm.weight", d);
    preNormShift = w.load(p + "pre_layrnorm.bias", d);
    encoder =
        TransformerEncoder.load(
            w, p, config.numLayers(), d, config.intermediateSize(), config.numHeads(),
            config.layerNormEps(),
            TransformerEncoder.Act.of(config.hiddenAct(), "vision_config.hidden_act"));
    postNormScale = w.load(p + "post_layernorm.weight", d);
    postNormShift = w.load(p + "post_layernorm.bias", d);
    projection = w.load("visual_projection.weight", clip.projectionDim(), d);
  }

  /**
   * Encodes {@code batch} images from {@code pixels} ({@code [batch, channels, size, size]}
   * float32 in native byte order, direct, exactly that many bytes remaining). The tensor is built
   * over {@code pixels} without a copy, so the caller must not change it until {@code manager} is
   * closed. Returns {@code [pooled, embeddings]} in float32, owned by {@code manager}; the
   * embeddings are L2-normalised.
   */
  NDList forward(NDManager manager, ByteBuffer pixels, int batch) {
    int size = config.imageSize();
    int channels = config.numChannels();
    int d = config.hiddenSize();
    NDArray input =
        manager.create(pixels, new Shape(batch, channels, size, size), DataType.FLOAT32);
    if (working != DataType.FLOAT32) {
      input = input.toType(working, false);
    }
    Shape stride = new Shape(config.patchSize(), config.patchSize());
    NDArray patches =
        Conv2d.conv2d(input, patchWeight, null, stride, new Shape(0, 0), new Shape(1, 1), 1)
            .singletonOrThrow();
    // [batch, hidden, grid, grid] -> [batch, patches, hidden], plus their position embeddings
    NDArray tokens = patches.reshape(batch, d, -1).transpose(0, 2, 1).add(patchPositions);
    NDArray classTokens = classWithPosition.repeat(0, batch);
    classTokens.attach(manager); // computed from a weight: move it off the weights' manager
    NDArray h = classTokens.concat(tokens, 1);
    int length = config.numPositions();
    NDArray normed = encoder.layerNorm(h.reshape((long) batch * length, d), preNormScale,
        preNormShift);
    long[] classRows = new long[batch];
    for (int b = 0; b < batch; b++) {
      classRows[b] = (long) b * length;
    }
    // Every image has the same token count: one group, no mask.
    TransformerEncoder.Sequences seq =
        new TransformerEncoder.Sequences(
            List.of(new TransformerEncoder.Group(batch, length, null, null)),
            null,
            manager.create(classRows));
    NDArray classStates = encoder.forward(normed, seq);
    NDArray pooled = encoder.layerNorm(classStates, postNormScale, postNormShift);
    return ProjectionHead.finish(pooled, TransformerEncoder.linear(pooled, projection, null));
  }
}
