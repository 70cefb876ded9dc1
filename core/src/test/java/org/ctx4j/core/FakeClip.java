package org.ctx4j.core;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Deterministic stand-ins for CLIP towers: each output row depends only on its own input row (as
 * with real CLIP), so results don't depend on batching or threads. Image features are channel
 * means over horizontal bands; text features are seeded by the text's bytes.
 */
final class FakeClip {
  static final int INPUT = 32;
  static final int POOLED = 12;
  static final int EMBED = 8;
  static final int TEXT_FEATURE = 6;

  private FakeClip() {}

  /** CLIP's preprocessing at {@link #INPUT} pixels (CLIP's mean and std), to keep tests fast. */
  static ClipPreprocessor preprocessor() {
    PreprocessorConfig clip = PreprocessorConfig.clipVitB32();
    return ClipPreprocessor.of(new PreprocessorConfig(INPUT, INPUT, clip.mean(), clip.std()));
  }

  static ImageEncoder imageEncoder(String modelId) {
    return new ImageEncoder() {
      @Override
      public int inputSize() {
        return INPUT;
      }

      @Override
      public int pooledDim() {
        return POOLED;
      }

      @Override
      public int embedDim() {
        return EMBED;
      }

      @Override
      public String modelId() {
        return modelId;
      }

      @Override
      public ImageEncoding encode(float[] pixels, int batch) {
        int plane = INPUT * INPUT;
        if (pixels.length < batch * 3 * plane) {
          throw new IllegalArgumentException("pixels " + pixels.length + " for batch " + batch);
        }
        float[] pooled = new float[batch * POOLED];
        float[] embeddings = new float[batch * EMBED];
        int bands = POOLED / 3;
        for (int b = 0; b < batch; b++) {
          for (int c = 0; c < 3; c++) {
            for (int band = 0; band < bands; band++) {
              double sum = 0;
              int rows = INPUT / bands;
              int from = (b * 3 + c) * plane + band * rows * INPUT;
              for (int i = 0; i < rows * INPUT; i++) {
                sum += pixels[from + i];
              }
              pooled[b * POOLED + c * bands + band] = (float) (sum / (rows * INPUT));
            }
          }
          double norm = 0;
          for (int e = 0; e < EMBED; e++) {
            double v = 0;
            for (int p = 0; p < POOLED; p++) {
              v += pooled[b * POOLED + p] * Math.sin(1.7 * (e + 1) * (p + 1));
            }
            embeddings[b * EMBED + e] = (float) v;
            norm += v * v;
          }
          normalize(embeddings, b * EMBED, EMBED, norm);
        }
        return new ImageEncoding(batch, POOLED, EMBED, pooled, embeddings);
      }

      @Override
      public void close() {}
    };
  }

  static TextEncoder textEncoder(String modelId) {
    return new TextEncoder() {
      @Override
      public int featureDim() {
        return TEXT_FEATURE;
      }

      @Override
      public int embedDim() {
        return EMBED;
      }

      @Override
      public String modelId() {
        return modelId;
      }

      @Override
      public TextEncoding encode(List<String> texts) {
        float[] features = new float[texts.size() * TEXT_FEATURE];
        float[] keys = new float[texts.size() * EMBED];
        for (int t = 0; t < texts.size(); t++) {
          long h = 1125899906842597L;
          for (byte b : texts.get(t).getBytes(StandardCharsets.UTF_8)) {
            h = 31 * h + b;
          }
          java.util.SplittableRandom r = new java.util.SplittableRandom(h);
          for (int f = 0; f < TEXT_FEATURE; f++) {
            features[t * TEXT_FEATURE + f] = (float) r.nextGaussian();
          }
          double norm = 0;
          for (int e = 0; e < EMBED; e++) {
            float v = (float) r.nextGaussian();
            keys[t * EMBED + e] = v;
            norm += v * v;
          }
          normalize(keys, t * EMBED, EMBED, norm);
        }
        return new TextEncoding(texts.size(), TEXT_FEATURE, EMBED, features, keys);
      }

      @Override
      public void close() {}
    };
  }

  private static void normalize(float[] v, int from, int n, double squaredNorm) {
    float inv = (float) (1 / Math.sqrt(Math.max(squaredNorm, 1e-30)));
    for (int i = 0; i < n; i++) {
      v[from + i] *= inv;
    }
  }
}
