package org.ctx4j.core.internal.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.Random;
import java.util.stream.Stream;
import org.ctx4j.InvalidKeysException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PanelCacheFileTest {
  private static final int OFFSET = 11;

  @TempDir Path dir;

  /** {@code n × dim} Gaussian keys at byte {@link #OFFSET} of a new file. */
  private Path keyFile(String name, float[] keys) throws IOException {
    return TestData.writeKeyFile(dir.resolve(name), keys, OFFSET);
  }

  private static void assertSamePanels(KeyPanels a, KeyPanels b, String what) {
    PanelCursor ca = new PanelCursor(a.dim());
    PanelCursor cb = new PanelCursor(b.dim());
    for (int panel = 0; panel < a.panelCount(); panel++) {
      a.load(panel, ca);
      b.load(panel, cb);
      for (int i = 0; i < a.dim() * PanelLayout.KEYS_PER_PANEL; i++) {
        assertThat(ca.data()[ca.offset() + i]).as("%s: panel %s float %s", what, panel, i)
            .isEqualTo(cb.data()[cb.offset() + i]);
      }
    }
  }

  @Test
  void cachedPanelsEqualTheTransposedKeysAcrossSeveralMappings() throws IOException {
    long seed = TestData.seed("cachedPanelsEqualTheTransposedKeys");
    int n = 301;
    int dim = 5;
    Path keys = keyFile("k.bin", TestData.gaussians(new Random(seed), n * dim));
    Path cache = dir.resolve("k.bin.panels");
    try (MappedFloatPanels reference = MappedFloatPanels.map(keys, OFFSET, n, dim);
        KeyPanels cached =
            PanelCacheFile.open(MappedFloatPanels.map(keys, OFFSET, n, dim), keys, OFFSET, cache,
                3 * 4 * PanelLayout.KEYS_PER_PANEL * dim)) { // 3 panels per mapping
      assertThat(cached).isInstanceOf(PanelCacheFile.class);
      assertSamePanels(reference, cached, "seed " + seed);
    }
    assertThat(cache).hasSize(PanelCacheFile.HEADER + 5L * 4 * PanelLayout.KEYS_PER_PANEL * dim);
  }

  @Test
  void theCacheIsReusedWhileTheKeysAreUnchangedAndRemadeWhenTheyChange() throws IOException {
    long seed = TestData.seed("theCacheIsReused");
    int n = 100;
    int dim = 8;
    float[] values = TestData.gaussians(new Random(seed), n * dim);
    Path keys = keyFile("k.bin", values);
    Path cache = dir.resolve("k.bin.panels");
    PanelCacheFile.open(MappedFloatPanels.map(keys, OFFSET, n, dim), keys, OFFSET, cache).close();

    // A byte of panel data changed behind its back: reused, it serves the changed byte.
    overwrite(cache, PanelCacheFile.HEADER + 4, new byte[] {0, 0, (byte) 0x80, 0x3f}); // 1.0f
    try (KeyPanels reused =
        PanelCacheFile.open(MappedFloatPanels.map(keys, OFFSET, n, dim), keys, OFFSET, cache)) {
      PanelCursor c = new PanelCursor(dim);
      reused.load(0, c);
      assertThat(c.data()[c.offset() + 1]).isEqualTo(1.0f);
    }

    // The keys changed (their file's time with them): the cache is made again.
    values[3 * dim] = 42f;
    Path sameName = keyFile("k.bin", values);
    Files.setLastModifiedTime(sameName, FileTime.fromMillis(1_600_000_000_000L));
    try (MappedFloatPanels reference = MappedFloatPanels.map(keys, OFFSET, n, dim);
        KeyPanels remade =
            PanelCacheFile.open(MappedFloatPanels.map(keys, OFFSET, n, dim), keys, OFFSET,
                cache)) {
      assertSamePanels(reference, remade, "after the keys changed");
    }
  }

  @Test
  void keysWhoseCacheCannotBeWrittenAreSearchedInPlace() throws IOException {
    Path keys = keyFile("k.bin", TestData.gaussians(new Random(1), 70 * 4));
    Path notADirectory = Files.writeString(dir.resolve("file"), "x");
    MappedFloatPanels rows = MappedFloatPanels.map(keys, OFFSET, 70, 4);
    try (KeyPanels panels =
        PanelCacheFile.open(rows, keys, OFFSET, notADirectory.resolve("k.panels"))) {
      assertThat(panels).isSameAs(rows);
    }
  }

  @Test
  void whileAnotherWriterHoldsTheLockTheKeysAreSearchedInPlace() throws IOException {
    Path keys = keyFile("k.bin", TestData.gaussians(new Random(4), 90 * 4));
    Path cache = dir.resolve("k.bin.panels");
    try (FileChannel held = FileChannel.open(dir.resolve("k.bin.panels.lock"),
            StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = held.lock()) {
      assertThat(lock.isValid()).isTrue();
      MappedFloatPanels rows = MappedFloatPanels.map(keys, OFFSET, 90, 4);
      try (KeyPanels panels = PanelCacheFile.open(rows, keys, OFFSET, cache)) {
        assertThat(panels).as("while the lock is held").isSameAs(rows);
      }
      assertThat(cache).doesNotExist();
    }
    try (KeyPanels panels =
        PanelCacheFile.open(MappedFloatPanels.map(keys, OFFSET, 90, 4), keys, OFFSET, cache)) {
      assertThat(panels).isInstanceOf(PanelCacheFile.class);
    }
    assertThat(dir.resolve("k.bin.panels.lock")).as("removed by its writer").doesNotExist();
  }

  @Test
  void aNonFiniteKeyIsReportedAndLeavesNoCacheBehind() throws IOException {
    float[] values = TestData.gaussians(new Random(2), 130 * 4);
    values[70 * 4 + 2] = Float.NaN;
    Path keys = keyFile("k.bin", values);
    assertThatThrownBy(
            () -> PanelCacheFile.open(MappedFloatPanels.map(keys, OFFSET, 130, 4), keys, OFFSET,
                dir.resolve("k.bin.panels")))
        .isInstanceOf(InvalidKeysException.class)
        .hasMessageContaining("key 70 component 2 is NaN");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("k.bin");
    }
  }

  private static void overwrite(Path file, long at, byte[] bytes) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(bytes), at);
    }
  }
}
