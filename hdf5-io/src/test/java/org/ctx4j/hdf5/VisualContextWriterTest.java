package org.ctx4j.hdf5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jhdf.HdfFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.ctx4j.DuplicateImageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VisualContextWriterTest {
  @TempDir Path dir;

  private static final long[] IDS = {531912, 9, 10, 100, 0, 1_000_000_007L};

  private Path writeSample(int dim) {
    Path file = dir.resolve("vis_ctx.hdf5");
    try (VisualContextWriter w = VisualContextWriter.open(file, dim, Map.of("model", "tiny-clip"))) {
      for (long id : IDS) {
        w.write(id, SyntheticContexts.visual(id, dim));
      }
      assertThat(w.completedCount()).isEqualTo(IDS.length);
      assertThat(w.isComplete(9)).isTrue();
      assertThat(w.isComplete(8)).isFalse();
    }
    return file;
  }

  @Test
  void h5pyReadsEveryFeatureBitExactAndFdim() {
    Path file = writeSample(768);
    Map<String, String> dump = PythonTools.dump("vis", file, IDS);
    assertThat(dump).containsEntry("len", Integer.toString(IDS.length));
    assertThat(dump).containsEntry("attr.fdim", "int64:768");
    assertThat(dump).containsEntry("attr.ctx4j_format", "str:vis_ctx/1");
    assertThat(dump).containsEntry("attr.model", "str:tiny-clip");
    for (long id : IDS) {
      float[] f = SyntheticContexts.visual(id, 768);
      assertThat(dump.get(Long.toString(id)))
          .isEqualTo(SyntheticContexts.floats(new long[] {768}, f, 0, f.length));
    }
    assertThat(dir.resolve("vis_ctx.hdf5.partial")).doesNotExist();
    assertThat(dir.resolve("vis_ctx.hdf5.journal")).doesNotExist();
  }

  @Test
  void h5dumpAndJhdfReadTheFile() throws Exception {
    Path file = writeSample(16);
    PythonTools.assertH5dumpReads(file);
    try (HdfFile hdf = new HdfFile(file)) {
      assertThat(hdf.getChildren()).hasSize(IDS.length);
      for (long id : IDS) {
        assertThat((float[]) hdf.getDatasetByPath("/" + id).getData())
            .containsExactly(SyntheticContexts.visual(id, 16));
      }
    }
  }

  @Test
  void nanAndInfinityAreStoredAsGiven() {
    Path file = dir.resolve("nan.hdf5");
    float[] f = {Float.NaN, Float.POSITIVE_INFINITY, -0f, Float.MIN_VALUE};
    try (VisualContextWriter w = VisualContextWriter.open(file, 4, Map.of())) {
      w.write(1, f);
    }
    assertThat(PythonTools.dump("vis", file, 1).get("1"))
        .isEqualTo(SyntheticContexts.floats(new long[] {4}, f, 0, 4));
  }

  @Test
  void emptyFileIsValid() {
    Path file = dir.resolve("empty.hdf5");
    VisualContextWriter.open(file, 8, Map.of()).close();
    assertThat(PythonTools.dump("vis", file)).containsEntry("len", "0");
    PythonTools.assertH5dumpReads(file);
  }

  @Test
  void rejectsWrongFeatureLengthNamingImageAndFdim() {
    try (VisualContextWriter w = VisualContextWriter.open(dir.resolve("v.hdf5"), 8, Map.of())) {
      assertThatThrownBy(() -> w.write(42, new float[7]))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("image 42")
          .hasMessageContaining("length 7")
          .hasMessageContaining("fdim 8");
      assertThat(w.completedCount()).isZero();
    }
  }

  @Test
  void rejectsDuplicateIdAndKeepsTheFirstWrite() {
    Path file = dir.resolve("dup.hdf5");
    try (VisualContextWriter w = VisualContextWriter.open(file, 2, Map.of())) {
      w.write(5, new float[] {1, 2});
      assertThatThrownBy(() -> w.write(5, new float[] {3, 4}))
          .isInstanceOf(DuplicateImageException.class)
          .hasMessageContaining("image 5")
          .hasMessageContaining(file.toString());
    }
    assertThat(PythonTools.dump("vis", file, 5).get("5"))
        .isEqualTo(SyntheticContexts.floats(new long[] {2}, new float[] {1, 2}, 0, 2));
  }

  @Test
  void rejectsWriteAfterClose() {
    VisualContextWriter w = VisualContextWriter.open(dir.resolve("c.hdf5"), 2, Map.of());
    w.close();
    w.close(); // idempotent
    assertThatThrownBy(() -> w.write(1, new float[2]))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void rejectsReservedProvenanceKeys() {
    assertThatThrownBy(() -> VisualContextWriter.open(dir.resolve("p.hdf5"), 2, Map.of("fdim", "3")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fdim");
    assertThat(Files.exists(dir.resolve("p.hdf5.partial"))).isFalse();
  }
}
