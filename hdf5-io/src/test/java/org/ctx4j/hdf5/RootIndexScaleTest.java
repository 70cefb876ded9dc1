package org.ctx4j.hdf5;

import static org.assertj.core.api.Assertions.assertThat;

import io.jhdf.HdfFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * More root members than one B-tree node indexes (2 x 512 symbol nodes of 128 names = 131,072),
 * so the root B-tree gets a second level; tiny datasets keep it fast.
 */
class RootIndexScaleTest {
  @TempDir Path dir;

  private static final int N = 140_000;

  private Path writeTinyVisualContext() {
    Path file = dir.resolve("vis_ctx.hdf5");
    try (VisualContextWriter w = VisualContextWriter.open(file, 1, Map.of())) {
      for (long id = 0; id < N; id++) {
        w.write(id * 3, new float[] {id});
      }
    }
    return file;
  }

  @Test
  void rootWithTwoLevelBtreeIsReadByH5py() {
    Path file = writeTinyVisualContext();
    Map<String, String> dump = PythonTools.dump("vis", file, 0, 3, 299_997, 419_997);
    assertThat(dump).containsEntry("len", Integer.toString(N));
    assertThat(dump.get("0")).isEqualTo(SyntheticContexts.floats(new long[] {1}, new float[] {0}, 0, 1));
    assertThat(dump.get("299997"))
        .isEqualTo(SyntheticContexts.floats(new long[] {1}, new float[] {99_999}, 0, 1));
    assertThat(dump.get("419997"))
        .isEqualTo(SyntheticContexts.floats(new long[] {1}, new float[] {139_999}, 0, 1));
  }

  /** h5ls lists every member; jhdf (which builds the whole child map, ~40 s here) finds one. */
  @Test
  @Tag("slow")
  void rootWithTwoLevelBtreeIsReadByH5lsAndJhdf() throws Exception {
    Path file = writeTinyVisualContext();
    PythonTools.Result ls = PythonTools.run(List.of("h5ls", file.toString()));
    assertThat(ls.exitCode()).isZero();
    assertThat(ls.stdout().lines().count()).isEqualTo(N);
    try (HdfFile hdf = new HdfFile(file)) {
      assertThat((float[]) hdf.getDatasetByPath("/419997").getData()).containsExactly(139_999f);
    }
  }
}
