package org.ctx4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.ctx4j.hdf5.CropResult;
import org.ctx4j.hdf5.CropSpec;
import org.ctx4j.hdf5.TextualContextFile;
import org.ctx4j.hdf5.VisualContextFile;

/** Compares context files by content, through our readers. */
final class ContextFilesAssert {
  private ContextFilesAssert() {}

  static void assertSameVisual(Path expected, Path actual) {
    try (VisualContextFile a = VisualContextFile.open(expected);
        VisualContextFile b = VisualContextFile.open(actual)) {
      assertThat(b.dim()).isEqualTo(a.dim());
      assertThat(b.ids()).containsExactly(a.ids());
      for (long id : a.ids()) {
        assertThat(b.features(id)).as("vis_ctx %d", id).containsExactly(a.features(id));
      }
    }
  }

  static void assertSameTextual(Path expected, Path actual) {
    try (TextualContextFile a = TextualContextFile.open(expected);
        TextualContextFile b = TextualContextFile.open(actual)) {
      assertThat(b.dim()).isEqualTo(a.dim());
      assertThat(b.crops()).isEqualTo(a.crops());
      assertThat(b.ids()).containsExactly(a.ids());
      for (long id : a.ids()) {
        for (CropSpec crop : a.crops()) {
          for (int c = 0; c < crop.count(); c++) {
            CropResult x = a.topK(id, crop.name(), c, crop.k());
            CropResult y = b.topK(id, crop.name(), c, crop.k());
            String what = id + "/" + crop.name() + "[" + c + "]";
            assertThat(y.texts()).as(what).isEqualTo(x.texts());
            assertThat(y.scores()).as(what).containsExactly(x.scores());
            for (int j = 0; j < crop.k(); j++) {
              assertThat(y.features()[j]).as(what).containsExactly(x.features()[j]);
            }
          }
        }
      }
    }
  }
}
