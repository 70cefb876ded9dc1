package org.ctx4j.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.ctx4j.ClipModelException;
import org.ctx4j.core.ImageEncoder;
import org.ctx4j.testing.TinyClipModels;
import org.ctx4j.testing.TinyClipSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ONNX backend: the vision tower on onnxruntime from the graph ctx4j writes. Its outputs match
 * the reference script ({@link ClipReferenceParityTest}); here: a row's result is the same bits
 * whatever the call's size and the row's place in it (every forward pass has the model's batch
 * shape), what the model records, and the settings it refuses.
 */
class OnnxRouteTest {
  @TempDir static Path dir;
  private static Path modelDir;

  @BeforeAll
  static void write() {
    modelDir = TinyClipModels.write(dir.resolve("tiny"), TinyClipSpec.tiny(), 23);
  }

  private static ClipModel load(int threads, int batch) {
    return ClipModel.load(modelDir, ClipOptions.builder()
        .backend(ClipOptions.Backend.ONNX).threads(threads).batchSize(batch).build());
  }

  @Test
  void imageRowsAreTheSameWhateverTheCallSizeAndPlace() {
    int images = 19;
    for (int threads : new int[] {1, 2}) {
      try (ClipModel model = load(threads, 8)) {
        assertThat(model.backend()).isEqualTo(ClipOptions.Backend.ONNX);
        ImageEncoder encoder = model.imageEncoder();
        int plane = 3 * encoder.inputSize() * encoder.inputSize();
        float[] pixels = new float[images * plane];
        SplittableRandom random = new SplittableRandom(9);
        for (int i = 0; i < pixels.length; i++) {
          pixels[i] = (float) (random.nextDouble() * 4 - 2);
        }
        float[][] alone = new float[images][];
        float[][] aloneEmbeddings = new float[images][];
        for (int i = 0; i < images; i++) {
          ImageEncoder.ImageEncoding e =
              encoder.encode(Arrays.copyOfRange(pixels, i * plane, (i + 1) * plane), 1);
          alone[i] = e.pooled();
          aloneEmbeddings[i] = e.embeddings();
        }
        for (int callSize = 2; callSize <= 11; callSize++) {
          for (int from = 0; from < images; from += callSize) {
            int n = Math.min(callSize, images - from);
            ImageEncoder.ImageEncoding e =
                encoder.encode(Arrays.copyOfRange(pixels, from * plane, (from + n) * plane), n);
            for (int i = 0; i < n; i++) {
              String what = "image " + (from + i) + " in a call of " + n + ", " + threads
                  + " threads";
              assertThat(Arrays.copyOfRange(e.pooled(), i * e.pooledDim(), (i + 1) * e.pooledDim()))
                  .as(what).containsExactly(alone[from + i]);
              assertThat(Arrays.copyOfRange(
                      e.embeddings(), i * e.embedDim(), (i + 1) * e.embedDim()))
                  .as(what).containsExactly(aloneEmbeddings[from + i]);
            }
          }
        }
      }
    }
  }

  @Test
  void numericsNameOnnxruntimeAndTheTextTowerIsTheJavaRoutes() {
    try (ClipModel model = load(2, 8);
        ClipModel javaRoute = ClipModel.load(modelDir, ClipOptions.builder()
            .backend(ClipOptions.Backend.JAVA).threads(2).batchSize(8).build())) {
      assertThat(model.imageEncoder().numerics())
          .startsWith("onnxruntime ")
          .contains("fixed batch 8", "2 threads", "image rows independent");
      // same text numerics: a caption db built on one backend is resumed or reused by the other
      assertThat(model.textEncoder().numerics()).isEqualTo(javaRoute.textEncoder().numerics());
      assertThat(model.textEncoder().encode(List.of("red ball on grass")).keys())
          .containsExactly(javaRoute.textEncoder().encode(List.of("red ball on grass")).keys());
    }
  }

  @Test
  void aClosedEncoderRefusesToEncode() {
    try (ClipModel model = load(1, 4)) {
      ImageEncoder encoder = model.imageEncoder();
      int plane = 3 * encoder.inputSize() * encoder.inputSize();
      ((AutoCloseable) encoder).close();
      assertThatThrownBy(() -> encoder.encode(new float[plane], 1))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("image encoder of CLIP model");
      // the model hands out a new one
      assertThat(model.imageEncoder().encode(new float[plane], 1).pooled()).isNotEmpty();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void refusesAGpuAndHalfPrecisionNamingTheSetting() {
    assertThatThrownBy(() -> ClipModel.load(modelDir, ClipOptions.builder()
            .backend(ClipOptions.Backend.ONNX).device(Device.gpu()).build()))
        .isInstanceOf(ClipModelException.class)
        .hasMessageContaining("backend ONNX runs on the CPU only");
    assertThatThrownBy(() -> ClipModel.load(modelDir, ClipOptions.builder()
            .backend(ClipOptions.Backend.ONNX).precision(ClipOptions.Precision.FP16).build()))
        .isInstanceOf(ClipModelException.class)
        .hasMessageContaining("backend ONNX computes in FP32 only");
  }
}
