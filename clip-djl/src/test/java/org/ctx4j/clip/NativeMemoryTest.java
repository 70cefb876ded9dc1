package org.ctx4j.clip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.ctx4j.testing.TinyClipModels;
import org.ctx4j.testing.TinyClipSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 10,000 forward passes leave no native array behind: every batch's temporaries are freed with its
 * child manager, so the count under each tower's manager stays at its weights.
 */
class NativeMemoryTest {
  @TempDir Path tmp;

  /** One layer, one head, 8 wide: as cheap a forward as the architecture allows. */
  private static final TinyClipSpec MICRO =
      new TinyClipSpec(8, 1, 1, 8, 8, 8, 8, 1, 1, 8, 8, 4, "quick_gelu", "F32", null);

  @Test
  void tenThousandBatchesLeaveNoNativeArraysBehind() {
    Path dir = TinyClipModels.write(tmp.resolve("micro"), MICRO, 1);
    try (ClipModel model =
        ClipModel.load(dir, ClipOptions.builder().backend(ClipOptions.Backend.PYTORCH).build())) {
      DjlImageEncoder images = (DjlImageEncoder) model.imageEncoder();
      DjlTextEncoder texts = (DjlTextEncoder) model.textEncoder();
      int imageWeights = images.liveNativeArrays();
      int textWeights = texts.liveNativeArrays();
      float[] pixels = new float[2 * 3 * 8 * 8];
      List<String> batch = List.of("white dog", "a cat");
      for (int i = 0; i < 5_000; i++) {
        pixels[i % pixels.length] = i;
        images.encode(pixels, 2);
        texts.encode(batch);
        if (i % 500 == 0) {
          assertThat(images.liveNativeArrays()).as("after %s batches", 2 * i).isEqualTo(imageWeights);
          assertThat(texts.liveNativeArrays()).as("after %s batches", 2 * i).isEqualTo(textWeights);
        }
      }
      assertThat(images.liveNativeArrays()).isEqualTo(imageWeights);
      assertThat(texts.liveNativeArrays()).isEqualTo(textWeights);
    }
  }
}
