package org.ctx4j.hdf5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.ctx4j.Hdf5WriteException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptionDbWriterTest {
  @TempDir Path dir;

  private static List<String> captions(int from, int n) {
    List<String> out = new ArrayList<>();
    for (int i = from; i < from + n; i++) {
      out.add(i % 7 == 0 ? "" : "caption " + i + (i % 5 == 0 ? " naïve café" : ""));
    }
    return out;
  }

  private static float[] random(int n, long seed) {
    Random r = new Random(seed);
    float[] f = new float[n];
    for (int i = 0; i < n; i++) {
      f[i] = (float) r.nextGaussian();
    }
    return f;
  }

  private static Map<String, String> dump(Path file) {
    PythonTools.Result r = PythonTools.python("dump_caption_db.py", file);
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    Map<String, String> out = new LinkedHashMap<>();
    r.stdout().lines().forEach(l -> out.put(l.split("\t", 2)[0], l.split("\t", 2)[1]));
    return out;
  }

  @Test
  void h5pyReadsCaptionsKeysAndFeaturesContiguousUncompressed() {
    Path file = dir.resolve("caption_db.hdf5");
    int[] batches = {1000, 1500, 3};
    int total = 2503;
    float[] keys = random(total * 4, 1);
    float[] features = random(total * 6, 2);
    try (CaptionDbWriter w = CaptionDbWriter.create(file, total, 4, 6, Map.of("model", "tiny"))) {
      appendInBatches(w, batches, keys, features);
      assertThat(w.appended()).isEqualTo(total);
    }
    Map<String, String> dump = dump(file);
    assertThat(dump).containsEntry("members", "['captions', 'features', 'keys']");
    assertThat(dump).containsEntry("attr.ctx4j_format", "str:caption_db/1");
    assertThat(dump).containsEntry("attr.size", "int64:2503");
    assertThat(dump.get("keys")).isEqualTo(SyntheticContexts.floats(new long[] {total, 4}, keys, 0, keys.length));
    assertThat(dump.get("features"))
        .isEqualTo(SyntheticContexts.floats(new long[] {total, 6}, features, 0, features.length));
    assertThat(dump.get("captions"))
        .isEqualTo(captions(0, total).stream().map(SyntheticContexts::quoted).collect(Collectors.joining(", ", "[", "]")));
    assertThat(dump).containsEntry("keys.offset", "4096");
    assertThat(dump).containsEntry("layouts", "[1, 1, 1]"); // H5D_CONTIGUOUS
    assertThat(dump).containsEntry("compression", "[None, None, None]");
    PythonTools.assertH5dumpReads(file);
  }

  /**
   * The original layout, read by h5py the way the original retrieve_captions.py loads a caption
   * db (groups 0..len(f)-1), gives the rows appended; the bytes do not depend on how the rows were
   * batched; ctx4j's reader reads it like its own layout.
   */
  @Test
  void originalLayoutIsWhatTheOriginalRetrieveScriptLoadsWhateverTheAppendSizes() throws Exception {
    int total = 1300;
    float[] keys = random(total * 4, 3);
    float[] features = random(total * 6, 4);
    Path a = writeOriginal(dir.resolve("a.hdf5"), total, keys, features, new int[] {1000, 1, 299});
    Path b = writeOriginal(dir.resolve("b.hdf5"), total, keys, features, new int[] {7, 600, 693});
    assertThat(Files.readAllBytes(a))
        .as("same rows, other append sizes")
        .isEqualTo(Files.readAllBytes(b));
    Map<String, String> dump = dump(a);
    assertThat(dump).containsEntry("groups", "[512, 512, 276]");
    assertThat(dump.get("keys"))
        .isEqualTo(SyntheticContexts.floats(new long[] {total, 4}, keys, 0, keys.length));
    assertThat(dump.get("features"))
        .isEqualTo(SyntheticContexts.floats(new long[] {total, 6}, features, 0, features.length));
    assertThat(dump.get("captions"))
        .isEqualTo(
            captions(0, total).stream()
                .map(SyntheticContexts::quoted)
                .collect(Collectors.joining(", ", "[", "]")));
    PythonTools.assertH5dumpReads(a);
    try (CaptionDbFile db = CaptionDbFile.open(a)) {
      assertThat(db.isOriginalLayout()).isTrue();
      assertThat(db.size()).isEqualTo(total);
      assertThat(db.captions()).isEqualTo(captions(0, total));
      assertThat(db.keys(1299, 1)).containsExactly(Arrays.copyOfRange(keys, 1299 * 4, 1300 * 4));
      assertThat(db.attributes()).containsEntry("layout", "original").containsEntry("model", "tiny");
    }
  }

  private static Path writeOriginal(
      Path file, int total, float[] keys, float[] features, int[] batches) {
    try (CaptionDbWriter w =
        CaptionDbWriter.createOriginalLayout(file, total, 4, 6, Map.of("model", "tiny"))) {
      appendInBatches(w, batches, keys, features);
    }
    return file;
  }

  /** Appends rows 0.. in batches of the given sizes (key dim 4, feature dim 6). */
  private static void appendInBatches(
      CaptionDbWriter w, int[] batches, float[] keys, float[] features) {
    int row = 0;
    for (int b : batches) {
      w.append(
          captions(row, b),
          Arrays.copyOfRange(keys, row * 4, (row + b) * 4),
          Arrays.copyOfRange(features, row * 6, (row + b) * 6));
      row += b;
    }
  }

  @Test
  void rejectsWrongLengthsAndOverflowKeepingEarlierRows() {
    Path file = dir.resolve("c.hdf5");
    try (CaptionDbWriter w = CaptionDbWriter.create(file, 3, 2, 2, Map.of())) {
      assertThatThrownBy(() -> w.append(captions(0, 2), new float[3], new float[4]))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("keys has length 3, expected 2 captions x key dim 2");
      w.append(captions(0, 2), new float[4], new float[4]);
      assertThatThrownBy(() -> w.append(captions(2, 2), new float[4], new float[4]))
          .hasMessageContaining("exceed the declared size 3");
      w.append(captions(2, 1), new float[2], new float[2]);
    }
    assertThat(dump(file)).containsEntry("attr.size", "int64:3");
  }

  @Test
  void closeWithMissingRowsWritesNothing() {
    Path file = dir.resolve("short.hdf5");
    CaptionDbWriter w = CaptionDbWriter.create(file, 10, 2, 2, Map.of());
    w.append(captions(0, 2), new float[4], new float[4]);
    assertThatThrownBy(w::close).isInstanceOf(Hdf5WriteException.class).hasMessageContaining("only 2 of 10");
    assertThat(file).doesNotExist();
    assertThat(dir.resolve("short.hdf5.partial")).doesNotExist();
  }
}
