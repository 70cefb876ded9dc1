package org.ctx4j.clip;

import java.util.List;
import org.ctx4j.clip.internal.CheckpointLayout;
import org.ctx4j.clip.internal.CpuPool;
import org.ctx4j.clip.internal.CpuTransformer;
import org.ctx4j.clip.internal.GemmKernel;
import org.ctx4j.clip.internal.ModelIdentity;
import org.ctx4j.clip.internal.PackedMatrix;
import org.ctx4j.clip.internal.Safetensors;
import org.ctx4j.clip.internal.TransformerEncoder;
import org.ctx4j.core.TextEncoder;

/**
 * The text tower on the Java CPU route: token and position embeddings, the encoder under a causal
 * mask with the texts packed back to back (no padding at all), final layer norm of each end token
 * (pooled output), projection. See {@link TextTower} for why the end token's state is the pooled
 * one.
 */
final class JavaTextEncoder extends TowerScope implements TextEncoder {
  private final ClipConfig.TextConfig config;
  private final int embedDim;
  private final ClipTokenizer tokenizer;
  private final CpuTransformer encoder;
  private final float[] tokenEmbedding;
  private final float[] positionEmbedding;
  private final float[] finalNormScale;
  private final float[] finalNormShift;
  private final PackedMatrix projection;

  JavaTextEncoder(
      Safetensors file, ClipConfig clip, ClipTokenizer tokenizer, GemmKernel kernel, CpuPool pool,
      int maxBatch, ModelIdentity identity) {
    super(null, maxBatch, identity, "text encoder");
    this.config = clip.text();
    this.embedDim = clip.projectionDim();
    this.tokenizer = tokenizer;
    String p = CheckpointLayout.TEXT;
    int d = config.hiddenSize();
    tokenEmbedding =
        file.readFloats(p + "embeddings.token_embedding.weight", config.vocabSize(), d);
    positionEmbedding =
        file.readFloats(p + "embeddings.position_embedding.weight", config.maxPositions(), d);
    encoder =
        CpuTransformer.load(
            file, p, config.numLayers(), d, config.intermediateSize(), config.numHeads(),
            config.layerNormEps(),
            TransformerEncoder.Act.of(config.hiddenAct(), "text_config.hidden_act"), kernel, pool);
    finalNormScale = file.readFloats(p + "final_layer_norm.weight", d);
    finalNormShift = file.readFloats(p + "final_layer_norm.bias", d);
    projection =
        PackedMatrix.pack(
            file.readFloats("text_projection.weight", embedDim, d), null, embedDim, d,
            kernel.panelWidth());
  }

  @Override
  public int featureDim() {
    return config.hiddenSize();
  }

  @Override
  public int embedDim() {
    return embedDim;
  }

  @Override
  public TextEncoding encode(List<String> texts) {
    checkOpen();
    return Outputs.encodeTexts(texts, tokenizer, maxBatch, featureDim(), embedDim(), this::forward);
  }

  /** The route's numerics, and the long-text rule when it is not CLIP's own. */
  @Override
  public String numerics() {
    return Outputs.textNumerics(super.numerics(), tokenizer);
  }

  private float[][] forward(int[][] tokens) {
    int d = config.hiddenSize();
    int batch = tokens.length;
    int[] starts = new int[batch];
    int[] lengths = new int[batch];
    int[] ends = new int[batch];
    int rows = 0;
    for (int b = 0; b < batch; b++) {
      starts[b] = rows;
      lengths[b] = tokens[b].length;
      rows += tokens[b].length;
      ends[b] = rows - 1;
    }
    float[] h = new float[rows * d];
    for (int b = 0; b < batch; b++) {
      for (int i = 0; i < tokens[b].length; i++) {
        int to = (starts[b] + i) * d;
        int tok = tokens[b][i] * d;
        int pos = i * d;
        for (int c = 0; c < d; c++) {
          h[to + c] = tokenEmbedding[tok + c] + positionEmbedding[pos + c];
        }
      }
    }
    float[] states =
        encoder.forward(h, new CpuTransformer.Sequences(starts, lengths, true), ends);
    return encoder.head(states, batch, finalNormScale, finalNormShift, projection);
  }
}
