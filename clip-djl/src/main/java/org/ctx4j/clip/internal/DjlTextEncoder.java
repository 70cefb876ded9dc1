package org.ctx4j.clip.internal;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.google.common.base.Preconditions;
import java.util.List;
import org.ctx4j.clip.ClipConfig;
import org.ctx4j.clip.ClipTokenizer;
import org.ctx4j.core.TextEncoder;

/**
 * {@link TextEncoder} over {@link TextTower}: tokenises, then runs chunks of at most {@code
 * maxBatch} texts, each padded only to its own longest text, each in a child native manager
 * closed after its outputs are copied to the heap.
 */
public final class DjlTextEncoder implements TextEncoder {
  private final NDManager weights;
  private final TextTower tower;
  private final ClipConfig config;
  private final ClipTokenizer tokenizer;
  private final int maxBatch;
  private final String modelId;

  DjlTextEncoder(
      NDManager weights, TextTower tower, ClipConfig config, ClipTokenizer tokenizer, int maxBatch,
      String modelId) {
    this.weights = weights;
    this.tower = tower;
    this.config = config;
    this.tokenizer = tokenizer;
    this.maxBatch = maxBatch;
    this.modelId = modelId;
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
  public String modelId() {
    return modelId;
  }

  @Override
  public TextEncoding encode(List<String> texts) {
    Preconditions.checkState(weights.isOpen(), "text encoder of %s is closed", modelId);
    int count = texts.size();
    float[] features = new float[count * featureDim()];
    float[] keys = new float[count * embedDim()];
    for (int start = 0; start < count; start += maxBatch) {
      int n = Math.min(maxBatch, count - start);
      int[][] tokens = new int[n][];
      for (int i = 0; i < n; i++) {
        tokens[i] = tokenizer.encode(texts.get(start + i));
      }
      try (NDManager scope = weights.newSubManager()) {
        NDList out = tower.forward(scope, tokens, tokenizer.endId());
        Outputs.copy(out, start, n, featureDim(), embedDim(), features, keys);
      }
    }
    return new TextEncoding(count, featureDim(), embedDim(), features, keys);
  }

  /** Token ids as this encoder feeds them (for checks against a reference). */
  public int[] tokenize(String text) {
    return tokenizer.encode(text);
  }

  /** Native arrays alive under this encoder's manager (weights plus any leak): for tests. */
  int liveNativeArrays() {
    return weights.getManagedArrays().size();
  }

  @Override
  public void close() {
    weights.close();
  }
}
