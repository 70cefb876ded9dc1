package org.ctx4j.clip.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Linear;
import java.util.Arrays;
import org.ctx4j.clip.ClipConfig;

/**
 * CLIP's text transformer and projection: token + position embeddings, the encoder under a causal
 * mask, final layernorm of the end token's state (the pooled output), projection.
 *
 * <p>Pooling takes each text's end-token position, which we know from tokenisation. HuggingFace
 * (before 4.31, and still for OpenAI's configs whose eos id is 2) takes {@code
 * argmax(input_ids)}, which is the same position because the end token has the highest id. With
 * the causal mask, that state only sees tokens up to the end token, so padding the batch after it
 * (with any id) cannot change the result; we pad with the end token id as HF's CLIP tokenizer
 * does. The final layernorm is per token, so applying it only to the pooled rows is the same.
 */
final class TextTower {
  private final ClipConfig.TextConfig config;
  private final DataType working;
  private final NDArray tokenEmbedding;
  private final NDArray positionEmbedding;
  private final TransformerEncoder encoder;
  private final NDArray finalNormScale;
  private final NDArray finalNormShift;
  private final NDArray projection;

  TextTower(WeightLoader w, ClipConfig clip, DataType working) {
    this.config = clip.text();
    this.working = working;
    String p = CheckpointLayout.TEXT;
    int d = config.hiddenSize();
    tokenEmbedding = w.load(p + "embeddings.token_embedding.weight", config.vocabSize(), d);
    positionEmbedding =
        w.load(p + "embeddings.position_embedding.weight", config.maxPositions(), d);
    encoder =
        TransformerEncoder.load(
            w, p, config.numLayers(), d, config.intermediateSize(), config.numHeads(),
            config.layerNormEps(),
            TransformerEncoder.Act.of(config.hiddenAct(), "text_config.hidden_act"));
    finalNormScale = w.load(p + "final_layer_norm.weight", d);
    finalNormShift = w.load(p + "final_layer_norm.bias", d);
    projection = w.load("text_projection.weight", clip.projectionDim(), d);
  }

  /**
   * Encodes token sequences (each ending with the end token; at most {@code maxPositions} long).
   * Returns {@code [pooled, embeddings]} in float32 owned by {@code manager}; embeddings are
   * L2-normalised.
   */
  NDList forward(NDManager manager, int[][] tokens, int padId) {
    int batch = tokens.length;
    int length = 0;
    for (int[] t : tokens) {
      length = Math.max(length, t.length);
    }
    long[] ids = new long[batch * length];
    long[] endRows = new long[batch];
    for (int b = 0; b < batch; b++) {
      int[] t = tokens[b];
      for (int i = 0; i < length; i++) {
        ids[b * length + i] = i < t.length ? t[i] : padId;
      }
      endRows[b] = (long) b * length + t.length - 1;
    }
    int d = config.hiddenSize();
    NDArray idArray = manager.create(ids, new Shape(batch, length));
    NDArray embedded =
        idArray.getNDArrayInternal()
            .embedding(idArray, tokenEmbedding, SparseFormat.DENSE)
            .singletonOrThrow();
    NDArray positions = positionEmbedding.get(manager, new NDIndex(":{}", length));
    NDArray h = embedded.add(positions);
    NDArray last = encoder.forward(h, causalMask(manager, length));
    NDArray endStates = last.reshape(batch * length, d).get(manager.create(endRows));
    NDArray pooled = encoder.layerNorm(endStates, finalNormScale, finalNormShift);
    return ProjectionHead.finish(pooled, Linear.linear(pooled, projection).singletonOrThrow());
  }

  /** Zero on and below the diagonal, minus infinity above: position i sees positions 0..i. */
  private NDArray causalMask(NDManager manager, int length) {
    float[] mask = new float[length * length];
    for (int i = 0; i < length; i++) {
      Arrays.fill(mask, i * length + i + 1, (i + 1) * length, Float.NEGATIVE_INFINITY);
    }
    NDArray m = manager.create(mask, new Shape(length, length));
    return working == DataType.FLOAT32 ? m : m.toType(working, false);
  }
}
