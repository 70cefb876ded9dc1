package org.ctx4j.core.internal.retrieval;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MappedFloatPanelsTest {
  @TempDir Path dir;

  @Test
  void panelsSpanningSeveralBuffersEqualPackedHeapPanels() throws IOException {
    long seed = TestData.seed("panelsSpanningSeveralBuffers");
    Random random = new Random(seed);
    int n = 301;
    int dim = 5;
    float[] keys = TestData.gaussians(random, n * dim);
    Path file = TestData.writeKeyFile(dir.resolve("k.bin"), keys, 7);
    // 3 rows (60 bytes) per buffer: the 2 GB split of real files, at a testable size
    try (MappedFloatPanels mapped = MappedFloatPanels.map(file, 7, n, dim, 64)) {
      PackedFloatPanels heap = PackedFloatPanels.pack(keys, n, dim, "heap keys");
      PanelCursor a = new PanelCursor(dim);
      PanelCursor b = new PanelCursor(dim);
      for (int panel = 0; panel < heap.panelCount(); panel++) {
        mapped.load(panel, a);
        heap.load(panel, b);
        for (int i = 0; i < dim * PanelLayout.KEYS_PER_PANEL; i++) {
          assertThat(a.data()[a.offset() + i]).as("seed %s panel %s float %s", seed, panel, i)
              .isEqualTo(b.data()[b.offset() + i]);
        }
      }
    }
  }
}
