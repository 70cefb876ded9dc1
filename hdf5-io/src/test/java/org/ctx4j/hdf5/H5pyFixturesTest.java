package org.ctx4j.hdf5;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.ctx4j.hdf5.internal.read.ReadCounters;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Our readers return what h5py returns on files written the way the original code writes them. */
class H5pyFixturesTest {
  private static final JsonNode EXPECTED = Fixtures.expected();

  @ParameterizedTest
  @ValueSource(
      strings = {
        "txt_ctx.hdf5",
        "txt_ctx_latest.hdf5",
        "txt_ctx_gzip.hdf5",
        "txt_ctx_links.hdf5",
        "txt_ctx_compact.hdf5"
      })
  void topKReturnsWhatTheReadmeSnippetReturnsInH5py(String name) {
    try (TextualContextFile f = TextualContextFile.open(Fixtures.file(name))) {
      for (JsonNode q : EXPECTED.get("txt").get(name)) {
        CropResult r =
            f.topK(q.get("id").asLong(), q.get("crop").asText(), q.get("cropIndex").asInt(), q.get("k").asInt());
        assertThat(r.texts()).as("%s %s", name, q).isEqualTo(Fixtures.strings(q.get("texts")));
        assertThat(r.scores()).as("%s %s", name, q).containsExactly(Fixtures.floats(q.get("scores")));
        assertThat(r.features()).as("%s %s", name, q).isDeepEqualTo(Fixtures.matrix(q.get("features")));
      }
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "txt_ctx.hdf5",
        "txt_ctx_latest.hdf5",
        "txt_ctx_gzip.hdf5",
        "txt_ctx_links.hdf5",
        "txt_ctx_compact.hdf5"
      })
  void reportsShapeOfTextualContext(String name) {
    try (TextualContextFile f = TextualContextFile.open(Fixtures.file(name))) {
      assertThat(f.ids()).containsExactly(9, 25, 100, 531912, 1000000);
      assertThat(f.dim()).isEqualTo(8);
      assertThat(f.crops())
          .containsExactly(new CropSpec("whole", 1, 6), new CropSpec("five", 5, 6), new CropSpec("nine", 9, 6));
      assertThat(f.isCompact()).isEqualTo(name.contains("compact"));
    }
  }

  @Test
  void readsCompactLinkGroupsDirectlyNotThroughJhdf() {
    try (TextualContextFile f = TextualContextFile.open(Fixtures.file("txt_ctx_links.hdf5"))) {
      long before = ReadCounters.reads();
      f.topK(531912, "nine", 3, 6);
      // the direct route reads image group, crop group, three datasets and the strings itself
      assertThat(ReadCounters.reads() - before).isGreaterThanOrEqualTo(8);
    }
  }

  @Test
  void readsVisualContextLikeH5py() {
    JsonNode vis = EXPECTED.get("vis");
    try (VisualContextFile f = VisualContextFile.open(Fixtures.file("vis_ctx.hdf5"))) {
      assertThat(f.dim()).isEqualTo(vis.get("fdim").asInt());
      assertThat(f.ids()).containsExactly(9, 25, 100, 531912, 1000000);
      assertThat(f.attributes()).containsEntry("fdim", "768");
      for (Map.Entry<String, JsonNode> e : vis.get("features").properties()) {
        assertThat(f.features(Long.parseLong(e.getKey())))
            .as("image %s", e.getKey())
            .containsExactly(Fixtures.floats(e.getValue()));
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"caption_db.hdf5", "caption_db_original.hdf5"})
  void readsCaptionDbInBothLayouts(String name) {
    List<String> captions = Fixtures.strings(EXPECTED.get("captions"));
    float[][] keys = Fixtures.matrix(EXPECTED.get("keys"));
    float[][] features = Fixtures.matrix(EXPECTED.get("features"));
    try (CaptionDbFile db = CaptionDbFile.open(Fixtures.file(name))) {
      assertThat(db.isOriginalLayout()).isEqualTo(name.contains("original"));
      assertThat(db.size()).isEqualTo(captions.size());
      assertThat(db.keyDim()).isEqualTo(keys[0].length);
      assertThat(db.featureDim()).isEqualTo(features[0].length);
      assertThat(db.captions()).isEqualTo(captions);
      for (int row = 0; row < captions.size(); row++) {
        assertThat(db.features(row)).as("row %s", row).containsExactly(features[row]);
      }
      float[] allKeys = db.keys(0, captions.size());
      for (int row = 0; row < captions.size(); row++) {
        assertThat(Arrays.copyOfRange(allKeys, row * keys[0].length, (row + 1) * keys[0].length))
            .containsExactly(keys[row]);
      }
      // a range that crosses the original layout's batch boundary (batches of 4)
      assertThat(db.keys(3, 3)).containsExactly(concat(keys[3], keys[4], keys[5]));
    }
  }

  @Test
  void keysLocationMapsToTheKeysMatrixOnlyForOurLayout() throws IOException {
    float[][] keys = Fixtures.matrix(EXPECTED.get("keys"));
    try (CaptionDbFile db = CaptionDbFile.open(Fixtures.file("caption_db.hdf5"));
        FileChannel ch = FileChannel.open(Fixtures.file("caption_db.hdf5"), StandardOpenOption.READ)) {
      MatrixLocation at = db.keysLocation().orElseThrow();
      assertThat(at.rows()).isEqualTo(keys.length);
      assertThat(at.cols()).isEqualTo(keys[0].length);
      FloatBuffer mapped =
          ch.map(FileChannel.MapMode.READ_ONLY, at.offset(), at.byteSize())
              .order(ByteOrder.LITTLE_ENDIAN)
              .asFloatBuffer();
      for (float[] row : keys) {
        float[] got = new float[row.length];
        mapped.get(got);
        assertThat(got).containsExactly(row);
      }
    }
    try (CaptionDbFile db = CaptionDbFile.open(Fixtures.file("caption_db_original.hdf5"))) {
      assertThat(db.keysLocation()).isEmpty();
    }
  }

  static float[] concat(float[]... rows) {
    float[] out = new float[0];
    for (float[] r : rows) {
      int n = out.length;
      out = Arrays.copyOf(out, n + r.length);
      System.arraycopy(r, 0, out, n, r.length);
    }
    return out;
  }
}
