package org.ctx4j.clip;

import ai.djl.ndarray.NDList;
import com.google.common.base.Preconditions;
import java.util.List;
import java.util.function.Function;
import org.ctx4j.core.TextEncoder;

/**
 * Copies the first {@code n} rows of a chunk's float32 {@code [pooled, embeddings]} into the whole
 * batch's heap arrays (rows past {@code n} are padding).
 */
final class Outputs {
  private Outputs() {}

  static void copy(
      NDList out, int start, int n, int pooledDim, int embedDim, float[] pooled, float[] emb) {
    float[] p = out.get(0).toFloatArray();
    float[] e = out.get(1).toFloatArray();
    assert p.length >= n * pooledDim && e.length >= n * embedDim;
    System.arraycopy(p, 0, pooled, start * pooledDim, n * pooledDim);
    System.arraycopy(e, 0, emb, start * embedDim, n * embedDim);
  }

  /**
   * A text encoder's numerics: the engine's, and the long-text rule when it is not CLIP's own,
   * since it changes the rows of long texts.
   */
  static String textNumerics(String engine, ClipTokenizer tokenizer) {
    return tokenizer.longTexts() == ClipOptions.LongTexts.KEEP_END_TOKEN
        ? engine
        : engine + ", long texts as Xmodal-Ctx (cut at " + (tokenizer.contextLength() - 2)
            + " tokens, pooled at the highest id)";
  }

  /**
   * Tokenises {@code texts} and runs them through {@code forward} in chunks of at most {@code
   * maxBatch}; {@code forward} returns a chunk's {@code {pooled, embeddings}} rows.
   */
  static TextEncoder.TextEncoding encodeTexts(
      List<String> texts, ClipTokenizer tokenizer, int maxBatch, int featureDim, int embedDim,
      Function<int[][], float[][]> forward) {
    Preconditions.checkNotNull(texts, "texts");
    int count = texts.size();
    float[] features = new float[count * featureDim];
    float[] keys = new float[count * embedDim];
    for (int start = 0; start < count; start += maxBatch) {
      int n = Math.min(maxBatch, count - start);
      int[][] tokens = new int[n][];
      for (int i = 0; i < n; i++) {
        tokens[i] = tokenizer.encode(texts.get(start + i));
      }
      float[][] out = forward.apply(tokens);
      System.arraycopy(out[0], 0, features, start * featureDim, n * featureDim);
      System.arraycopy(out[1], 0, keys, start * embedDim, n * embedDim);
    }
    return new TextEncoder.TextEncoding(count, featureDim, embedDim, features, keys);
  }
}
