package org.ctx4j.hdf5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ctx4j.DuplicateImageException;
import org.ctx4j.UnknownImageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code copyImage} (what the shard merge runs) gives the bytes of writing the same images: as a
 * moved run of bytes from files this version wrote, by reading and re-writing from others.
 */
class CopyImageTest {
  @TempDir Path dir;

  private static final long[] SOURCE_IDS = {0, 3, 9, 10, 100, 531912, 1_000_000_007L};
  /** A subset in another order, so every image lands at another offset than in the source. */
  private static final long[] TARGET_IDS = {531912, 9, 1_000_000_007L, 0};

  private static final Map<String, String> COMPACT_PROVENANCE =
      Map.of("caption_db", "caption_db.hdf5", "caption_db_size", "2");

  private Path writeTextual(String name, TextualLayout layout, long[] ids, Map<String, String> p) {
    Path file = dir.resolve(name);
    try (TextualContextWriter w = TextualContextWriter.open(file, layout, p)) {
      for (long id : ids) {
        w.write(id, SyntheticContexts.textual(layout, id));
      }
    }
    return file;
  }

  /** The two-caption db the compact files name (their ids are copied, never looked up here). */
  private void writeCaptionDb(int featureDim) {
    try (CaptionDbWriter db =
        CaptionDbWriter.create(dir.resolve("caption_db.hdf5"), 2, 4, featureDim, Map.of())) {
      db.append(List.of("a", "b"), new float[8], new float[2 * featureDim]);
    }
  }

  static List<TextualLayout> layouts() {
    return List.of(
        SyntheticContexts.LAYOUT,
        new TextualLayout(512, SyntheticContexts.LAYOUT.crops(), true),
        new TextualLayout(
            5,
            List.of(new CropSpec("whole", 1, 16), new CropSpec("five", 5, 8), new CropSpec("nine", 9, 1)),
            false),
        // ~120 KB per image: more than the first window read before an image's header
        new TextualLayout(512, SyntheticContexts.LAYOUT.crops(), false));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3})
  void copiedTextualImagesHaveTheBytesOfWritingThemAtTheirNewPlace(int which) throws IOException {
    TextualLayout layout = layouts().get(which);
    Map<String, String> provenance = layout.compact() ? COMPACT_PROVENANCE : Map.of("model", "m");
    Path source = writeTextual("source.hdf5", layout, SOURCE_IDS, provenance);
    Path written = writeTextual("written.hdf5", layout, TARGET_IDS, provenance);

    if (layout.compact()) {
      writeCaptionDb(layout.dim());
    }
    Path copied = dir.resolve("copied.hdf5");
    try (TextualContextFile from = TextualContextFile.open(source);
        TextualContextWriter w = TextualContextWriter.open(copied, layout, provenance)) {
      for (long id : TARGET_IDS) {
        assertThat(w.copyImage(from, id)).as("image %s copied as bytes", id).isTrue();
      }
    }
    assertThat(Files.readAllBytes(copied)).isEqualTo(Files.readAllBytes(written));
  }

  @Test
  void copiedVisualImagesHaveTheBytesOfWritingThem() throws IOException {
    Path source = dir.resolve("source.hdf5");
    Path written = dir.resolve("written.hdf5");
    try (VisualContextWriter a = VisualContextWriter.open(source, 12, Map.of());
        VisualContextWriter b = VisualContextWriter.open(written, 12, Map.of())) {
      for (long id : SOURCE_IDS) {
        a.write(id, SyntheticContexts.visual(id, 12));
      }
      for (long id : TARGET_IDS) {
        b.write(id, SyntheticContexts.visual(id, 12));
      }
    }
    Path copied = dir.resolve("copied.hdf5");
    try (VisualContextFile from = VisualContextFile.open(source);
        VisualContextWriter w = VisualContextWriter.open(copied, 12, Map.of())) {
      for (long id : TARGET_IDS) {
        assertThat(w.copyImage(from, id)).isTrue();
      }
    }
    assertThat(Files.readAllBytes(copied)).isEqualTo(Files.readAllBytes(written));
  }

  @Test
  void mixingCopiesAndWritesStillGivesTheWrittenBytes() throws IOException {
    TextualLayout layout = SyntheticContexts.LAYOUT;
    Path source = writeTextual("source.hdf5", layout, SOURCE_IDS, Map.of());
    Path written = writeTextual("written.hdf5", layout, TARGET_IDS, Map.of());
    Path mixed = dir.resolve("mixed.hdf5");
    try (TextualContextFile from = TextualContextFile.open(source);
        TextualContextWriter w = TextualContextWriter.open(mixed, layout, Map.of())) {
      for (int i = 0; i < TARGET_IDS.length; i++) {
        long id = TARGET_IDS[i];
        if (i % 2 == 0) {
          w.write(id, SyntheticContexts.textual(layout, id));
        } else {
          assertThat(w.copyImage(from, id)).isTrue();
        }
      }
    }
    assertThat(Files.readAllBytes(mixed)).isEqualTo(Files.readAllBytes(written));
  }

  /** h5py's files (shared heaps, symbol-table groups, chunks, v2 headers) are read, not moved. */
  @ParameterizedTest
  @ValueSource(strings = {"txt_ctx.hdf5", "txt_ctx_latest.hdf5", "txt_ctx_gzip.hdf5", "txt_ctx_links.hdf5"})
  void imagesOfFilesH5pyWroteAreReadAndRewrittenWithTheSameContents(String name) {
    Path copied = dir.resolve("copied.hdf5");
    try (TextualContextFile from = TextualContextFile.open(Fixtures.file(name))) {
      TextualLayout layout = new TextualLayout(from.dim(), from.crops(), false);
      try (TextualContextWriter w = TextualContextWriter.open(copied, layout, Map.of())) {
        for (long id : from.ids()) {
          assertThat(w.copyImage(from, id)).as("%s image %s", name, id).isFalse();
        }
      }
      try (TextualContextFile back = TextualContextFile.open(copied)) {
        assertThat(back.ids()).containsExactly(from.ids());
        for (long id : from.ids()) {
          for (CropSpec c : from.crops()) {
            for (int i = 0; i < c.count(); i++) {
              CropResult expected = from.topK(id, c.name(), i, c.k());
              CropResult actual = back.topK(id, c.name(), i, c.k());
              assertThat(actual.texts()).isEqualTo(expected.texts());
              assertThat(actual.scores()).containsExactly(expected.scores());
              assertThat(actual.features()).isDeepEqualTo(expected.features());
            }
          }
        }
      }
    }
  }

  @Test
  void aCopyFromAnotherLayoutOrOfAMissingOrRepeatedImageIsRefusedAndWritesNothing()
      throws IOException {
    TextualLayout layout = SyntheticContexts.LAYOUT;
    Path source = writeTextual("source.hdf5", layout, SOURCE_IDS, Map.of());
    TextualLayout otherK =
        new TextualLayout(
            3,
            List.of(new CropSpec("whole", 1, 4), new CropSpec("five", 5, 4), new CropSpec("nine", 9, 3)),
            false);
    Path target = dir.resolve("target.hdf5");
    try (TextualContextFile from = TextualContextFile.open(source);
        TextualContextWriter other = TextualContextWriter.open(dir.resolve("other.hdf5"), otherK, Map.of());
        TextualContextWriter w = TextualContextWriter.open(target, layout, Map.of())) {
      assertThatThrownBy(() -> other.copyImage(from, 9))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("image 9")
          .hasMessageContaining(source.toString())
          .hasMessageContaining("layouts differ");
      assertThat(other.completedCount()).isZero();
      assertThatThrownBy(() -> w.copyImage(from, 8))
          .isInstanceOf(UnknownImageException.class)
          .hasMessageContaining("8");
      assertThat(w.copyImage(from, 9)).isTrue();
      assertThatThrownBy(() -> w.copyImage(from, 9)).isInstanceOf(DuplicateImageException.class);
      assertThat(w.completedCount()).isEqualTo(1);
    }
    try (TextualContextFile back = TextualContextFile.open(target)) {
      assertThat(back.ids()).containsExactly(9);
    }
  }
}
