package org.ctx4j.hdf5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.ctx4j.Hdf5FileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompactExportTest {
  private static final int CAPTIONS = 50;
  private static final int DIM = 6;
  private static final long[] IDS = {3, 17, 531912};

  @TempDir Path dir;

  @Test
  void exportedFileHoldsWhatTheCompactFileResolvesTo() {
    Path compact = writeCompact();
    Path exported = dir.resolve("txt_ctx.hdf5");

    assertThat(CompactExport.toOriginalLayout(compact, exported)).isEqualTo(IDS.length);

    try (TextualContextFile in = TextualContextFile.open(compact);
        TextualContextFile out = TextualContextFile.open(exported)) {
      assertThat(out.isCompact()).isFalse();
      assertThat(out.ids()).containsExactly(IDS);
      assertThat(out.crops()).isEqualTo(in.crops());
      assertThat(out.attributes()).containsEntry("model", "tiny-clip");
      for (long id : IDS) {
        for (CropSpec spec : in.crops()) {
          for (int c = 0; c < spec.count(); c++) {
            CropResult expected = in.topK(id, spec.name(), c, spec.k());
            CropResult actual = out.topK(id, spec.name(), c, spec.k());
            assertThat(actual.texts()).isEqualTo(expected.texts());
            assertThat(actual.scores()).isEqualTo(expected.scores());
            assertThat(actual.features()).isDeepEqualTo(expected.features());
          }
        }
      }
    }
    PythonTools.assertH5dumpReads(exported);
  }

  @Test
  void rerunOfAFinishedExportWritesNothing() {
    Path compact = writeCompact();
    Path exported = dir.resolve("txt_ctx.hdf5");
    CompactExport.toOriginalLayout(compact, exported);

    assertThat(CompactExport.toOriginalLayout(compact, exported)).isZero();
  }

  @Test
  void refusesAFileAlreadyInTheOriginalLayout() {
    Path compact = writeCompact();
    Path exported = dir.resolve("txt_ctx.hdf5");
    CompactExport.toOriginalLayout(compact, exported);

    assertThatThrownBy(() -> CompactExport.toOriginalLayout(exported, dir.resolve("again.hdf5")))
        .isInstanceOf(Hdf5FileException.class)
        .hasMessageContaining(exported.toString())
        .hasMessageContaining("already in the original layout");
  }

  private Path writeCompact() {
    Random random = new Random(42);
    List<String> captions = new ArrayList<>();
    for (int i = 0; i < CAPTIONS; i++) {
      captions.add(String.format(java.util.Locale.ROOT, "caption %02d", i));
    }
    float[] keys = new float[CAPTIONS * 4];
    float[] features = new float[CAPTIONS * DIM];
    for (int i = 0; i < features.length; i++) {
      features[i] = (float) random.nextGaussian();
    }
    try (CaptionDbWriter db =
        CaptionDbWriter.create(dir.resolve("caption_db.hdf5"), CAPTIONS, 4, DIM, Map.of())) {
      db.append(captions, keys, features);
    }
    TextualLayout layout =
        new TextualLayout(
            DIM,
            List.of(new CropSpec("whole", 1, 3), new CropSpec("five", 5, 2), new CropSpec("nine", 9, 2)),
            true);
    Path compact = dir.resolve("txt_ctx_compact.hdf5");
    try (TextualContextWriter w =
        TextualContextWriter.open(
            compact,
            layout,
            Map.of(
                "caption_db", "caption_db.hdf5",
                "caption_db_size", Integer.toString(CAPTIONS),
                "model", "tiny-clip"))) {
      for (long id : IDS) {
        List<CropContext> crops = new ArrayList<>();
        for (CropSpec s : layout.crops()) {
          int n = s.count() * s.k();
          int[] rows = new int[n];
          float[] scores = new float[n];
          for (int i = 0; i < n; i++) {
            rows[i] = random.nextInt(CAPTIONS);
            scores[i] = 1f - i / (float) n;
          }
          crops.add(CropContext.compact(s.name(), s.count(), s.k(), rows, scores));
        }
        w.write(id, crops);
      }
    }
    return compact;
  }
}
