package org.ctx4j.clip;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.ctx4j.clip.internal.ModelIdentity;
import org.ctx4j.core.TextEncoder;

/**
 * {@link TextEncoder} over {@link TextTower}: tokenises, then runs chunks of at most maxBatch
 * texts, packed without padding.
 */
final class DjlTextEncoder extends TowerScope implements TextEncoder {
  private final TextTower tower;
  private final ClipConfig config;
  private final ClipTokenizer tokenizer;

  DjlTextEncoder(
      NDManager weights, TextTower tower, ClipConfig config, ClipTokenizer tokenizer, int maxBatch,
      ModelIdentity identity) {
    super(weights, maxBatch, identity, "text encoder");
    this.tower = tower;
    this.config = config;
    this.tokenizer = tokenizer;
  }

  @Override
  public int featureDim() {
    return config.text().hiddenSize();
  }

  @Override
  public int embedDim() {
    return config.projectionDim();
  }

  @Override
  public TextEncoding encode(List<String> texts) {
    return Outputs.encodeTexts(
        texts, tokenizer, maxBatch, featureDim(), embedDim(),
        tokens -> {
          try (NDManager scope = newBatchScope()) {
            NDList out = tower.forward(scope, tokens);
            return new float[][] {out.get(0).toFloatArray(), out.get(1).toFloatArray()};
          }
        });
  }

  /** The engine's numerics, and the long-text rule when it is not CLIP's own (it changes rows). */
  @Override
  public String numerics() {
    return Outputs.textNumerics(super.numerics(), tokenizer);
  }

  @Override
  public void close() {
    super.close();
  }
}
