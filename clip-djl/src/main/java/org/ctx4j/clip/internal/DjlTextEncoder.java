package org.ctx4j.clip.internal;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.google.common.base.Preconditions;
import java.util.List;
import org.ctx4j.clip.ClipConfig;
import org.ctx4j.clip.ClipOptions;
import org.ctx4j.clip.ClipTokenizer;
import org.ctx4j.core.TextEncoder;

/**
 * {@link TextEncoder} over {@link TextTower}: tokenises, then runs chunks of at most maxBatch
 * texts, packed without padding.
 */
public final class DjlTextEncoder extends TowerScope implements TextEncoder {
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
    Preconditions.checkNotNull(texts, "texts");
    int count = texts.size();
    float[] features = new float[count * featureDim()];
    float[] keys = new float[count * embedDim()];
    for (int start = 0; start < count; start += maxBatch) {
      int n = Math.min(maxBatch, count - start);
      int[][] tokens = new int[n][];
      for (int i = 0; i < n; i++) {
        tokens[i] = tokenizer.encode(texts.get(start + i));
      }
      try (NDManager scope = newBatchScope()) {
        NDList out = tower.forward(scope, tokens);
        Outputs.copy(out, start, n, featureDim(), embedDim(), features, keys);
      }
    }
    return new TextEncoding(count, featureDim(), embedDim(), features, keys);
  }

  /** The engine's numerics, and the long-text rule when it is not CLIP's own (it changes rows). */
  @Override
  public String numerics() {
    return tokenizer.longTexts() == ClipOptions.LongTexts.KEEP_END_TOKEN
        ? super.numerics()
        : super.numerics() + ", long texts as Xmodal-Ctx (cut at "
            + (tokenizer.contextLength() - 2) + " tokens, pooled at the highest id)";
  }

  @Override
  public void close() {
    super.close();
  }
}
