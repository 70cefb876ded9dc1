package org.ctx4j.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import com.google.common.math.IntMath;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.ctx4j.clip.internal.CheckpointLayout;
import org.ctx4j.clip.internal.ProjectionHead;
import org.ctx4j.clip.internal.TransformerEncoder;
import org.ctx4j.clip.internal.WeightLoader;

/**
 * CLIP's text transformer and projection: token + position embeddings, the encoder under a causal
 * mask, final layernorm of the end token's state (the pooled output), projection.
 *
 * <p>Pooling takes each text's end-token position, which we know from tokenisation. HuggingFace
 * (before 4.31, and still for OpenAI's configs whose eos id is 2) takes {@code
 * argmax(input_ids)}, which is the same position because the end token has the highest id. With
 * the causal mask, that state only sees tokens up to the end token, so whatever follows it in a
 * padded batch cannot change the result; we go further and skip padding altogether (see {@link
 * #forward}). The final layernorm is per token, so applying it only to the pooled rows is the
 * same.
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
   *
   * <p>The tokens travel packed (see {@link TransformerEncoder.Sequences}): a batch of phrases of
   * 4 to 7 tokens costs the work of their real tokens, not of {@code batch x 7}. The results are
   * those of padding every text to the batch's longest, as HF and the original do, up to float
   * rounding (the causal mask keeps padding out of every real token's state), and each text's
   * result is the same whatever other texts share its batch.
   */
  NDList forward(NDManager manager, int[][] tokens) {
    int batch = tokens.length;
    int rows = 0;
    // Attention groups: texts by their padded length (TransformerEncoder.Sequences says why).
    SortedMap<Integer, List<Integer>> byPaddedLength = new TreeMap<>();
    for (int b = 0; b < batch; b++) {
      rows += tokens[b].length;
      int padded = IntMath.divide(tokens[b].length, TransformerEncoder.ATTENTION_PAD,
          RoundingMode.CEILING) * TransformerEncoder.ATTENTION_PAD;
      byPaddedLength.computeIfAbsent(padded, n -> new ArrayList<>()).add(b);
    }
    long[] ids = new long[rows];
    long[] positions = new long[rows];
    long[] ends = new long[batch];
    int[] firstRow = new int[batch];
    int row = 0;
    for (int b = 0; b < batch; b++) {
      int[] t = tokens[b];
      firstRow[b] = row;
      for (int i = 0; i < t.length; i++) {
        ids[row + i] = t[i];
        positions[row + i] = i;
      }
      row += t.length;
      ends[b] = row - 1L;
    }
    long[] toPacked = new long[rows];
    List<TransformerEncoder.Group> groups = new ArrayList<>();
    long paddedRows = 0;
    for (Map.Entry<Integer, List<Integer>> e : byPaddedLength.entrySet()) {
      int length = e.getKey();
      List<Integer> members = e.getValue();
      long[] toPadded = new long[members.size() * length];
      for (int m = 0; m < members.size(); m++) {
        int b = members.get(m);
        int[] t = tokens[b];
        for (int i = 0; i < length; i++) {
          // Padding repeats the sequence's end token row: real tokens never attend to it.
          toPadded[m * length + i] = firstRow[b] + Math.min(i, t.length - 1);
        }
        for (int i = 0; i < t.length; i++) {
          toPacked[firstRow[b] + i] = paddedRows + (long) m * length + i;
        }
      }
      paddedRows += toPadded.length;
      groups.add(
          new TransformerEncoder.Group(
              members.size(), length, manager.create(toPadded), causalMask(manager, length)));
    }
    TransformerEncoder.Sequences seq =
        new TransformerEncoder.Sequences(groups, manager.create(toPacked), manager.create(ends));
    NDArray h = lookup(tokenEmbedding, manager.create(ids)).addi(
        lookup(positionEmbedding, manager.create(positions)));
    NDArray pooledStates = encoder.forward(h, seq);
    NDArray pooled = encoder.layerNorm(pooledStates, finalNormScale, finalNormShift);
    return ProjectionHead.finish(pooled, TransformerEncoder.linear(pooled, projection, null));
  }

  /** Rows {@code ids} of {@code table}, as a new array on the manager of {@code ids}. */
  private static NDArray lookup(NDArray table, NDArray ids) {
    return ids.getNDArrayInternal()
        .embedding(ids, table, SparseFormat.DENSE)
        .singletonOrThrow();
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
