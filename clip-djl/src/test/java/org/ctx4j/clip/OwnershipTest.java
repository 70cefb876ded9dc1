package org.ctx4j.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.ctx4j.core.ImageEncoder;
import org.ctx4j.core.TextEncoder;
import org.ctx4j.testing.TinyClipModels;
import org.ctx4j.testing.TinyClipSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One ownership rule: whoever creates a resource closes it. A {@link ClipModel} creates its
 * encoders, so closing the model closes them; use after close fails with a message naming the
 * model.
 */
class OwnershipTest {
  @TempDir Path dir;

  @Test
  void encodersOfAClosedModelFailClearly() {
    Path modelDir = TinyClipModels.write(dir.resolve("owned"), TinyClipSpec.tiny(), 2);
    ClipModel model = ClipModel.load(modelDir);
    ImageEncoder images = model.imageEncoder();
    TextEncoder texts = model.textEncoder();
    model.close();
    model.close(); // idempotent
    assertThatThrownBy(() -> texts.encode(List.of("red dog")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("text encoder of CLIP model owned is closed");
    assertThatThrownBy(() -> images.encode(new float[3 * 32 * 32], 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("image encoder of CLIP model owned is closed");
    assertThatThrownBy(model::imageEncoder)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("CLIP model owned is closed");
  }

  @Test
  void anEncoderClosedEarlyIsReplacedByTheModel() {
    Path modelDir = TinyClipModels.write(dir.resolve("early"), TinyClipSpec.tiny(), 2);
    try (ClipModel model = ClipModel.load(modelDir)) {
      TextEncoder first = model.textEncoder();
      float[] before = first.encode(List.of("red dog")).keys();
      first.close();
      assertThatThrownBy(() -> first.encode(List.of("red dog")))
          .isInstanceOf(IllegalStateException.class);
      TextEncoder second = model.textEncoder();
      assertThat(second).isNotSameAs(first);
      assertThat(second.encode(List.of("red dog")).keys()).containsExactly(before);
    }
  }
}
