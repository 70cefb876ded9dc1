package org.ctx4j.hdf5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.stream.LongStream;
import org.ctx4j.DuplicateImageException;
import org.ctx4j.IncompatibleContextFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriterResumeTest {
  @TempDir Path dir;

  private void assertH5pyRefuses(Path partial) {
    PythonTools.Result r = PythonTools.python("open_must_fail.py", partial);
    assertThat(r.exitCode()).as("h5py must refuse %s: %s", partial, r.stderr()).isZero();
  }

  private void assertVisContent(Path file, long... ids) {
    Map<String, String> dump = PythonTools.dump("vis", file, ids);
    assertThat(dump).containsEntry("len", Integer.toString(ids.length));
    for (long id : ids) {
      float[] f = SyntheticContexts.visual(id, 8);
      assertThat(dump.get(Long.toString(id)))
          .isEqualTo(SyntheticContexts.floats(new long[] {8}, f, 0, 8));
    }
  }

  @Test
  void abandonedRunResumesWhereItStopped() {
    Path file = dir.resolve("vis_ctx.hdf5");
    VisualContextWriter first = VisualContextWriter.open(file, 8, Map.of("model", "m"));
    for (long id = 0; id < 5; id++) {
      first.write(id, SyntheticContexts.visual(id, 8));
    }
    first.abandon();
    assertThat(file).doesNotExist();
    assertH5pyRefuses(dir.resolve("vis_ctx.hdf5.partial"));

    try (VisualContextWriter second = VisualContextWriter.open(file, 8, Map.of("model", "m"))) {
      assertThat(second.completedCount()).isEqualTo(5);
      assertThat(second.isComplete(4)).isTrue();
      assertThat(second.isComplete(5)).isFalse();
      assertThatThrownBy(() -> second.write(3, new float[8]))
          .isInstanceOf(DuplicateImageException.class);
      for (long id = 5; id < 10; id++) {
        second.write(id, SyntheticContexts.visual(id, 8));
      }
    }
    assertVisContent(file, LongStream.range(0, 10).toArray());
  }

  @Test
  void refusesToResumeWithOtherDimOrProvenance() {
    Path file = dir.resolve("vis_ctx.hdf5");
    VisualContextWriter w = VisualContextWriter.open(file, 8, Map.of("model", "a"));
    w.write(1, new float[8]);
    w.abandon();
    assertThatThrownBy(() -> VisualContextWriter.open(file, 16, Map.of("model", "a")))
        .isInstanceOf(IncompatibleContextFileException.class)
        .hasMessageContaining("fdim=8")
        .hasMessageContaining("fdim=16")
        .hasMessageContaining("vis_ctx.hdf5.partial");
    assertThatThrownBy(() -> VisualContextWriter.open(file, 8, Map.of("model", "b")))
        .isInstanceOf(IncompatibleContextFileException.class)
        .hasMessageContaining("model=a")
        .hasMessageContaining("model=b");
    // the refused attempts did not damage the partial run
    VisualContextWriter again = VisualContextWriter.open(file, 8, Map.of("model", "a"));
    assertThat(again.completedCount()).isEqualTo(1);
    again.close();
  }

  @Test
  void finishedFileIsReopenedForAppending() {
    Path file = dir.resolve("vis_ctx.hdf5");
    try (VisualContextWriter w = VisualContextWriter.open(file, 8, Map.of("model", "m"))) {
      for (long id = 0; id < 3; id++) {
        w.write(id, SyntheticContexts.visual(id, 8));
      }
    }
    assertThatThrownBy(() -> VisualContextWriter.open(file, 16, Map.of("model", "m")))
        .isInstanceOf(IncompatibleContextFileException.class)
        .hasMessageContaining("fdim=8");
    assertVisContent(file, 0, 1, 2); // the refusal left the finished file alone
    try (VisualContextWriter w = VisualContextWriter.open(file, 8, Map.of("model", "m"))) {
      assertThat(w.completedCount()).isEqualTo(3);
      assertThat(w.isComplete(2)).isTrue();
      w.write(3, SyntheticContexts.visual(3, 8));
    }
    assertVisContent(file, 0, 1, 2, 3);
  }

  @Test
  void emptyFinishedFileIsReopenedForAppending() {
    Path file = dir.resolve("vis_ctx.hdf5");
    VisualContextWriter.open(file, 8, Map.of()).close();
    try (VisualContextWriter w = VisualContextWriter.open(file, 8, Map.of())) {
      assertThat(w.completedCount()).isZero();
      w.write(7, SyntheticContexts.visual(7, 8));
    }
    assertVisContent(file, 7);
  }

  @Test
  void refusesToAppendToAFileNotWrittenByCtx4j() throws IOException {
    Path file = dir.resolve("vis_ctx.hdf5");
    PythonTools.Result r =
        PythonTools.run(
            java.util.List.of(
                PythonTools.PYTHON.toString(),
                "-c",
                "import h5py, numpy as np, sys\n"
                    + "with h5py.File(sys.argv[1], 'w') as f:\n"
                    + "    f.attrs['fdim'] = 8\n"
                    + "    f.create_dataset('1', data=np.zeros(8, np.float32))\n",
                file.toString()));
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThatThrownBy(() -> VisualContextWriter.open(file, 8, Map.of()))
        .isInstanceOf(IncompatibleContextFileException.class)
        .hasMessageContaining("only files written by ctx4j");
    assertThat(Files.size(file)).isPositive();
  }

  @Test
  void tornJournalTailAndTrailingGarbageAreDropped() throws IOException {
    Path file = dir.resolve("vis_ctx.hdf5");
    VisualContextWriter w = VisualContextWriter.open(file, 8, Map.of());
    for (long id = 0; id < 3; id++) {
      w.write(id, SyntheticContexts.visual(id, 8));
    }
    w.abandon();
    // a crash mid-record and mid-image: half a journal record, bytes of an unrecorded image
    Files.write(dir.resolve("vis_ctx.hdf5.journal"), new byte[13], StandardOpenOption.APPEND);
    Files.write(dir.resolve("vis_ctx.hdf5.partial"), new byte[777], StandardOpenOption.APPEND);
    try (VisualContextWriter resumed = VisualContextWriter.open(file, 8, Map.of())) {
      assertThat(resumed.completedCount()).isEqualTo(3);
      resumed.write(3, SyntheticContexts.visual(3, 8));
    }
    assertVisContent(file, 0, 1, 2, 3);
  }

  @Test
  void partialWithoutJournalStartsOver() throws IOException {
    Path file = dir.resolve("vis_ctx.hdf5");
    Files.write(dir.resolve("vis_ctx.hdf5.partial"), new byte[4096]);
    try (VisualContextWriter w = VisualContextWriter.open(file, 8, Map.of())) {
      assertThat(w.completedCount()).isZero();
      w.write(9, SyntheticContexts.visual(9, 8));
    }
    assertVisContent(file, 9);
  }
}
