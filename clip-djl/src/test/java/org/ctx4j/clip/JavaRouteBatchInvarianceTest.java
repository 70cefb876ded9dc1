package org.ctx4j.clip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
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
 * On the Java CPU route a row's result is the same bits whatever the call's size (1 to 17), the
 * row's position in it, the forward-pass chunk and the number of threads: each row's arithmetic
 * has an order fixed by the model's shapes alone. The tiny model's widths (24, 48) leave partial
 * GEMM panels and vector tails, and 37 images or 61 texts straddle the kernel's 6-row blocks.
 */
class JavaRouteBatchInvarianceTest {
  @TempDir static Path dir;
  private static Path modelDir;

  @BeforeAll
  static void write() {
    // every pass split between threads, even the tiny model's small ones (see CpuPool)
    System.setProperty("ctx4j.clip.inlineWork", "0");
    modelDir = TinyClipModels.write(dir.resolve("tiny"), TinyClipSpec.tiny(), 17);
  }

  @AfterAll
  static void restore() {
    System.clearProperty("ctx4j.clip.inlineWork");
  }

  private static ClipModel load(int threads, int batch) {
    ClipModel model =
        ClipModel.load(
            modelDir,
            ClipOptions.builder()
                .backend(ClipOptions.Backend.JAVA)
                .threads(threads)
                .batchSize(batch)
                .build());
    assertThat(model.backend()).isEqualTo(ClipOptions.Backend.JAVA);
    return model;
  }

  @Test
  void imageRowsAreTheSameWhateverTheCallSizeAndThreads() {
    int images = 37;
    float[] pixels;
    float[][] alonePooled = new float[images][];
    float[][] aloneEmbeddings = new float[images][];
    int plane;
    try (ClipModel model = load(1, 64)) {
      ImageEncoder encoder = model.imageEncoder();
      plane = 3 * encoder.inputSize() * encoder.inputSize();
      pixels = new float[images * plane];
      SplittableRandom random = new SplittableRandom(5);
      for (int i = 0; i < pixels.length; i++) {
        pixels[i] = (float) (random.nextDouble() * 4 - 2);
      }
      for (int i = 0; i < images; i++) {
        ImageEncoder.ImageEncoding e =
            encoder.encode(Arrays.copyOfRange(pixels, i * plane, (i + 1) * plane), 1);
        alonePooled[i] = e.pooled();
        aloneEmbeddings[i] = e.embeddings();
      }
    }
    for (int threads : new int[] {1, 2, 3}) {
      for (int chunk : new int[] {8, 64}) {
        try (ClipModel model = load(threads, chunk)) {
          ImageEncoder encoder = model.imageEncoder();
          for (int callSize = 1; callSize <= 17; callSize++) {
            for (int from = 0; from < images; from += callSize) {
              int n = Math.min(callSize, images - from);
              ImageEncoder.ImageEncoding e =
                  encoder.encode(Arrays.copyOfRange(pixels, from * plane, (from + n) * plane), n);
              for (int i = 0; i < n; i++) {
                String what = "image " + (from + i) + " in a call of " + n + ", " + threads
                    + " threads, chunks of " + chunk;
                assertThat(row(e.pooled(), i, e.pooledDim())).as(what)
                    .containsExactly(alonePooled[from + i]);
                assertThat(row(e.embeddings(), i, e.embedDim())).as(what)
                    .containsExactly(aloneEmbeddings[from + i]);
              }
            }
          }
        }
      }
    }
  }

  @Test
  void textRowsAreTheSameWhateverTheCallSizeNeighboursAndThreads() {
    List<String> texts = BatchInvarianceTest.phrases(61);
    float[][] aloneKeys = new float[texts.size()][];
    float[][] aloneFeatures = new float[texts.size()][];
    try (ClipModel model = load(1, 64)) {
      for (int i = 0; i < texts.size(); i++) {
        TextEncoder.TextEncoding e = model.textEncoder().encode(List.of(texts.get(i)));
        aloneKeys[i] = e.keys();
        aloneFeatures[i] = e.features();
      }
    }
    for (int threads : new int[] {1, 2, 3}) {
      try (ClipModel model = load(threads, 8)) {
        TextEncoder encoder = model.textEncoder();
        for (int callSize = 1; callSize <= 17; callSize++) {
          for (int from = 0; from < texts.size(); from += callSize) {
            List<String> call = texts.subList(from, Math.min(texts.size(), from + callSize));
            TextEncoder.TextEncoding e = encoder.encode(call);
            for (int i = 0; i < call.size(); i++) {
              String what = "'" + call.get(i) + "' in a call of " + call.size() + ", " + threads
                  + " threads";
              assertThat(row(e.keys(), i, e.embedDim())).as(what)
                  .containsExactly(aloneKeys[from + i]);
              assertThat(row(e.features(), i, e.featureDim())).as(what)
                  .containsExactly(aloneFeatures[from + i]);
            }
          }
        }
      }
    }
  }

  private static float[] row(float[] rows, int i, int width) {
    return Arrays.copyOfRange(rows, i * width, (i + 1) * width);
  }
}
