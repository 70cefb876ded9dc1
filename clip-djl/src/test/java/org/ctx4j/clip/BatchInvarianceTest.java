package org.ctx4j.clip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.ctx4j.core.ImageEncoder;
import org.ctx4j.core.TextEncoder;
import org.ctx4j.testing.TinyClipModels;
import org.ctx4j.testing.TinyClipSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A row's result does not depend on which other rows share its encoder call, nor on its position
 * in it: what makes a build's files the same bytes whatever its batch size or resume point. The
 * tiny model's 24-wide text tower and 48-wide MLP exercise libtorch's small-GEMM, attention-length
 * and elementwise-remainder paths (see DjlImageEncoder, TransformerEncoder); the encoders' own
 * forward-pass chunk is 8 here so that calls straddle it. This is the libtorch route; the Java
 * route has JavaRouteBatchInvarianceTest.
 */
class BatchInvarianceTest {
  @TempDir static Path dir;
  private static ClipModel model;

  @BeforeAll
  static void load() {
    Path modelDir = TinyClipModels.write(dir.resolve("tiny"), TinyClipSpec.tiny(), 17);
    model = ClipModel.load(
        modelDir,
        ClipOptions.builder().batchSize(8).backend(ClipOptions.Backend.PYTORCH).build());
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void imageRowsAreTheSameWhateverTheCallSizeAndPosition() {
    ImageEncoder encoder = model.imageEncoder();
    int plane = 3 * encoder.inputSize() * encoder.inputSize();
    int images = 37;
    float[] pixels = new float[images * plane];
    SplittableRandom random = new SplittableRandom(5);
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (float) (random.nextDouble() * 4 - 2);
    }
    ImageEncoder.ImageEncoding alone = encodeEachAlone(encoder, pixels, images, plane);
    for (int callSize = 2; callSize <= 17; callSize++) {
      for (int offset : new int[] {0, 1, 3}) {
        float[] pooled = new float[images * encoder.pooledDim()];
        float[] embeddings = new float[images * encoder.embedDim()];
        int start = 0;
        int size = Math.min(offset == 0 ? callSize : offset, images);
        while (start < images) {
          ImageEncoder.ImageEncoding e =
              encoder.encode(Arrays.copyOfRange(pixels, start * plane, (start + size) * plane), size);
          System.arraycopy(e.pooled(), 0, pooled, start * e.pooledDim(), size * e.pooledDim());
          System.arraycopy(
              e.embeddings(), 0, embeddings, start * e.embedDim(), size * e.embedDim());
          start += size;
          size = Math.min(callSize, images - start);
        }
        String what = "calls of " + callSize + " after a first call of " + offset;
        assertThat(pooled).as(what).containsExactly(alone.pooled());
        assertThat(embeddings).as(what).containsExactly(alone.embeddings());
      }
    }
  }

  private static ImageEncoder.ImageEncoding encodeEachAlone(
      ImageEncoder encoder, float[] pixels, int images, int plane) {
    float[] pooled = new float[images * encoder.pooledDim()];
    float[] embeddings = new float[images * encoder.embedDim()];
    for (int i = 0; i < images; i++) {
      ImageEncoder.ImageEncoding e =
          encoder.encode(Arrays.copyOfRange(pixels, i * plane, (i + 1) * plane), 1);
      System.arraycopy(e.pooled(), 0, pooled, i * e.pooledDim(), e.pooledDim());
      System.arraycopy(e.embeddings(), 0, embeddings, i * e.embedDim(), e.embedDim());
    }
    return new ImageEncoder.ImageEncoding(
        images, encoder.pooledDim(), encoder.embedDim(), pooled, embeddings);
  }

  @Test
  void textRowsAreTheSameWhateverTheCallSizeAndNeighbours() {
    TextEncoder encoder = model.textEncoder();
    List<String> texts = phrases(61);
    float[][] aloneKeys = new float[texts.size()][];
    float[][] aloneFeatures = new float[texts.size()][];
    for (int i = 0; i < texts.size(); i++) {
      TextEncoder.TextEncoding e = encoder.encode(List.of(texts.get(i)));
      aloneKeys[i] = e.keys();
      aloneFeatures[i] = e.features();
    }
    for (int callSize : new int[] {2, 3, 5, 7, 8, 9, 13, 17, 61}) {
      for (int from = 0; from < texts.size(); from += callSize) {
        List<String> call = texts.subList(from, Math.min(texts.size(), from + callSize));
        TextEncoder.TextEncoding e = encoder.encode(call);
        for (int i = 0; i < call.size(); i++) {
          String what = "'" + call.get(i) + "' in a call of " + call.size();
          assertThat(Arrays.copyOfRange(e.keys(), i * e.embedDim(), (i + 1) * e.embedDim()))
              .as(what)
              .containsExactly(aloneKeys[from + i]);
          assertThat(
                  Arrays.copyOfRange(
                      e.features(), i * e.featureDim(), (i + 1) * e.featureDim()))
              .as(what)
              .containsExactly(aloneFeatures[from + i]);
        }
      }
    }
  }

  /** Phrases of 1 to 4 words, and every 11th of up to 25 words (17 to 27 tokens, padded to 32). */
  static List<String> phrases(int count) {
    String[] words = {"red", "dog", "man", "riding", "horse", "on", "white", "large", "table",
        "near", "the", "window", "blue", "sky", "green", "tree", "small", "cat", "sitting"};
    SplittableRandom random = new SplittableRandom(9);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int n = 1 + random.nextInt(i % 11 == 0 ? 25 : 4);
      StringBuilder b = new StringBuilder();
      for (int j = 0; j < n; j++) {
        b.append(j > 0 ? " " : "").append(words[random.nextInt(words.length)]);
      }
      out.add(b.toString());
    }
    return out;
  }
}
