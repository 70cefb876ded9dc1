package org.ctx4j.hdf5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jhdf.HdfFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.ctx4j.DuplicateImageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextualContextWriterTest {
  @TempDir Path dir;

  private static final long[] IDS = {531912, 7, 70, 8};

  private Path write(TextualLayout layout, Map<String, String> provenance) {
    Path file = dir.resolve(layout.compact() ? "txt_ctx_compact.hdf5" : "txt_ctx.hdf5");
    try (TextualContextWriter w = TextualContextWriter.open(file, layout, provenance)) {
      for (long id : IDS) {
        w.write(id, SyntheticContexts.textual(layout, id));
      }
    }
    return file;
  }

  private static long[] rowShape(CropSpec s) {
    return s.hasCropAxis() ? new long[] {s.count(), s.k()} : new long[] {s.k()};
  }

  private static long[] featureShape(CropSpec s, int dim) {
    long[] r = rowShape(s);
    long[] f = Arrays.copyOf(r, r.length + 1);
    f[r.length] = dim;
    return f;
  }

  @Test
  void h5pyReadsOriginalLayoutBitExactWithTextsAsUtf8Bytes() {
    TextualLayout layout = SyntheticContexts.LAYOUT;
    Path file = write(layout, Map.of("model", "openai/clip-vit-base-patch32"));
    Map<String, String> dump = PythonTools.dump("txt", file, IDS);
    assertThat(dump).containsEntry("len", "4");
    assertThat(dump).containsEntry("attr.ctx4j_format", "str:txt_ctx/1");
    assertThat(dump).containsEntry("attr.k", "int64:4");
    assertThat(dump).containsEntry("attr.dim", "int64:3");
    assertThat(dump).containsEntry("attr.crops", "str:whole,five,nine");
    int d = layout.dim();
    for (long id : IDS) {
      for (CropContext c : SyntheticContexts.textual(layout, id)) {
        CropSpec s = layout.crop(c.crop()).orElseThrow();
        String p = id + "/" + c.crop() + "/";
        assertThat(dump.get(p + "features"))
            .isEqualTo(SyntheticContexts.floats(featureShape(s, d), c.features(), 0, c.features().length));
        assertThat(dump.get(p + "scores"))
            .isEqualTo(SyntheticContexts.floats(rowShape(s), c.scores(), 0, c.scores().length));
        assertThat(dump.get(p + "texts")).isEqualTo(SyntheticContexts.texts(s, c.texts()));
      }
      // README: f[f"{img_id}/five/features"][crop_n, :top_k] with crop_n = 1, top_k = 2
      CropContext five = SyntheticContexts.textual(layout, id).get(1);
      int k = 4;
      String[] fiveTexts = Arrays.copyOfRange(five.texts(), k, k + 2);
      assertThat(dump.get("readme.five." + id))
          .isEqualTo(
              SyntheticContexts.floats(new long[] {2, d}, five.features(), k * d, 2 * d)
                  + " "
                  + SyntheticContexts.floats(new long[] {2}, five.scores(), k, 2)
                  + " "
                  + SyntheticContexts.texts(new CropSpec("x", 1, 2), fiveTexts));
      // README: f[f"{k}/whole/features"][:k] and f[f"{k}/nine/features"][:, :k] with k = 2
      CropContext whole = SyntheticContexts.textual(layout, id).get(0);
      assertThat(dump.get("readme.whole." + id))
          .isEqualTo(SyntheticContexts.floats(new long[] {2, d}, whole.features(), 0, 2 * d));
      CropContext nine = SyntheticContexts.textual(layout, id).get(2);
      float[] firstTwoPerCrop = new float[9 * 2 * d];
      for (int c = 0; c < 9; c++) {
        System.arraycopy(nine.features(), c * k * d, firstTwoPerCrop, c * 2 * d, 2 * d);
      }
      assertThat(dump.get("readme.nine." + id))
          .isEqualTo(SyntheticContexts.floats(new long[] {9, 2, d}, firstTwoPerCrop, 0, 9 * 2 * d));
    }
  }

  @Test
  void h5dumpAndJhdfReadOriginalLayout() throws Exception {
    TextualLayout layout = SyntheticContexts.LAYOUT;
    Path file = write(layout, Map.of());
    PythonTools.assertH5dumpReads(file);
    try (HdfFile hdf = new HdfFile(file)) {
      CropContext nine = SyntheticContexts.textual(layout, 7).get(2);
      String[][] texts = (String[][]) hdf.getDatasetByPath("/7/nine/texts").getData();
      assertThat(texts[8][3]).isEqualTo(nine.texts()[8 * 4 + 3]);
      float[][][] features = (float[][][]) hdf.getDatasetByPath("/7/nine/features").getData();
      assertThat(features[8][3]).containsExactly(Arrays.copyOfRange(nine.features(), 35 * 3, 36 * 3));
      assertThat(((io.jhdf.api.Group) hdf.getByPath("531912")).getChildren().keySet())
          .containsExactlyInAnyOrder("whole", "five", "nine");
    }
  }

  @Test
  void compactLayoutStoresIdsAndScores() {
    TextualLayout layout = new TextualLayout(512, SyntheticContexts.LAYOUT.crops(), true);
    Path file =
        write(layout, Map.of("caption_db", "caption_db.hdf5", "caption_db_size", "1000000"));
    Map<String, String> dump = PythonTools.dump("compact", file, IDS);
    assertThat(dump).containsEntry("attr.ctx4j_format", "str:txt_ctx_compact/1");
    assertThat(dump).containsEntry("attr.caption_db", "str:caption_db.hdf5");
    for (long id : IDS) {
      for (CropContext c : SyntheticContexts.textual(layout, id)) {
        CropSpec s = layout.crop(c.crop()).orElseThrow();
        assertThat(dump.get(id + "/" + c.crop() + "/ids"))
            .isEqualTo(SyntheticContexts.ints(rowShape(s), c.captionIds()));
        assertThat(dump.get(id + "/" + c.crop() + "/scores"))
            .isEqualTo(SyntheticContexts.floats(rowShape(s), c.scores(), 0, c.scores().length));
      }
    }
    PythonTools.assertH5dumpReads(file);
  }

  @Test
  void perCropKMayDiffer() {
    TextualLayout layout =
        new TextualLayout(
            2,
            List.of(new CropSpec("whole", 1, 16), new CropSpec("five", 5, 8), new CropSpec("nine", 9, 4)),
            false);
    Path file = write(layout, Map.of());
    Map<String, String> dump = PythonTools.dump("txt", file, 7);
    assertThat(dump).containsEntry("attr.k", "ndarray:[16, 8, 4]");
    assertThat(dump.get("7/nine/scores")).startsWith("<f4[9, 4]:");
    assertThat(dump.get("7/whole/features")).startsWith("<f4[16, 2]:");
  }

  @Test
  void compactLayoutNeedsCaptionDbProvenance() {
    TextualLayout layout = new TextualLayout(8, SyntheticContexts.LAYOUT.crops(), true);
    assertThatThrownBy(() -> TextualContextWriter.open(dir.resolve("c.hdf5"), layout, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("caption_db");
  }

  private static List<CropContext> replace(List<CropContext> crops, int i, CropContext c) {
    List<CropContext> out = new ArrayList<>(crops);
    out.set(i, c);
    return out;
  }

  @Test
  void rejectsBadInputNamingImageCropAndFieldAndLosesNothing() {
    TextualLayout layout = SyntheticContexts.LAYOUT;
    Path file = dir.resolve("bad.hdf5");
    try (TextualContextWriter w = TextualContextWriter.open(file, layout, Map.of())) {
      w.write(1, SyntheticContexts.textual(layout, 1));
      List<CropContext> good = SyntheticContexts.textual(layout, 2);
      CropContext five = good.get(1);

      CropContext shortFeatures =
          CropContext.of("five", 5, 4, five.texts(), five.scores(), new float[5 * 4 * 3 - 1]);
      assertThatThrownBy(() -> w.write(2, replace(good, 1, shortFeatures)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("image 2 crop five: features has length 59, expected 60");

      CropContext wrongK =
          CropContext.of("five", 5, 3, new String[15], new float[15], new float[45]);
      assertThatThrownBy(() -> w.write(2, replace(good, 1, wrongK)))
          .hasMessageContaining("image 2 crop five: count 5, k 3")
          .hasMessageContaining("k 4");

      CropContext unknown = CropContext.of("ten", 1, 4, new String[4], new float[4], new float[12]);
      assertThatThrownBy(() -> w.write(2, replace(good, 1, unknown)))
          .hasMessageContaining("crop ten is not in the layout");

      assertThatThrownBy(() -> w.write(2, good.subList(0, 2)))
          .hasMessageContaining("image 2: crop nine of the layout is missing");

      String[] withNull = five.texts().clone();
      withNull[3] = null;
      CropContext nullText = CropContext.of("five", 5, 4, withNull, five.scores(), five.features());
      assertThatThrownBy(() -> w.write(2, replace(good, 1, nullText)))
          .hasMessageContaining("image 2 crop five: texts[3] is null");

      CropContext compactInOriginal = CropContext.compact("five", 5, 4, new int[20], five.scores());
      assertThatThrownBy(() -> w.write(2, replace(good, 1, compactInOriginal)))
          .hasMessageContaining("needs texts and features");

      assertThatThrownBy(() -> w.write(1, good)).isInstanceOf(DuplicateImageException.class);
      assertThat(w.completedCount()).isEqualTo(1);
      w.write(2, good);
    }
    Map<String, String> dump = PythonTools.dump("txt", file, 1, 2);
    assertThat(dump).containsEntry("len", "2");
  }

  @Test
  void rejectsLayoutMistakes() {
    assertThatThrownBy(() -> new CropSpec("whole", 5, 4)).hasMessageContaining("count 1");
    assertThatThrownBy(() -> new CropSpec("five", 5, 0)).hasMessageContaining("k (0)");
    assertThatThrownBy(() -> new CropSpec("a/b", 5, 1)).hasMessageContaining("a/b");
    assertThatThrownBy(
            () -> new TextualLayout(4, List.of(new CropSpec("five", 5, 1), new CropSpec("five", 5, 2)), false))
        .hasMessageContaining("crop five appears twice");
    assertThatThrownBy(() -> new TextualLayout(0, List.of(new CropSpec("five", 5, 1)), false))
        .hasMessageContaining("feature dim (0)");
  }
}
