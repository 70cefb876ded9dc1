package org.ctx4j.core.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.ctx4j.InvalidKeysException;
import org.ctx4j.core.internal.retrieval.HalfFloats;
import org.ctx4j.core.internal.retrieval.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mapped and half-precision key storage give the same answers as heap float32 keys. */
class KeyStorageTest {
  @TempDir Path dir;

  private Path writeKeys(float[] keys, int offset) throws IOException {
    return TestData.writeKeyFile(dir.resolve("keys.bin"), keys, offset);
  }

  private static TopKResult search(TopKIndex index, float[] queries, int nq, int k) {
    try (index) {
      return index.search(queries, nq, k);
    }
  }

  @Test
  void anIndexWithThePanelCacheFindsWhatTheMappedKeysGive() throws IOException {
    long seed = TestData.seed("anIndexWithThePanelCache");
    Random random = new Random(seed);
    int n = 1000;
    int dim = 16;
    Path file = writeKeys(TestData.gaussians(random, n * dim), 11);
    float[] queries = TestData.gaussians(random, 37 * dim);
    Path cache = dir.resolve("keys.bin.panels");
    TopKResult inPlace = search(TopKIndexes.exactMapped(file, 11, n, dim), queries, 37, 10);
    TopKResult cached =
        search(TopKIndexes.builder().mappedKeys(file, 11, n, dim).panelCache(cache).build(),
            queries, 37, 10);
    assertThat(cached.ids()).as("seed %s", seed).containsExactly(inPlace.ids());
    assertThat(cached.scores()).as("seed %s", seed).containsExactly(inPlace.scores());
    assertThat(cache).exists();
  }

  @Test
  void mappedKeysAtAnOffsetEqualHeapKeys() throws IOException {
    long seed = TestData.seed("mappedKeysAtAnOffsetEqualHeapKeys");
    Random random = new Random(seed);
    int n = 1000;
    int dim = 19;
    float[] keys = TestData.gaussians(random, n * dim);
    float[] queries = TestData.gaussians(random, 37 * dim);
    Path file = writeKeys(keys, 13);
    TopKResult heap = search(TopKIndexes.exact(keys, n, dim), queries, 37, 16);
    TopKResult mapped = search(TopKIndexes.exactMapped(file, 13, n, dim), queries, 37, 16);
    assertThat(mapped.ids()).as("seed %s", seed).containsExactly(heap.ids());
    assertThat(mapped.scores()).containsExactly(heap.scores());
  }

  @Test
  void mappedFileTooShortNamesFileAndSizes() throws IOException {
    Path file = writeKeys(new float[10], 0);
    assertThatThrownBy(() -> TopKIndexes.exactMapped(file, 4, 5, 2))
        .isInstanceOf(InvalidKeysException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("has 40 bytes, but 5 keys of dimension 2 at offset 4 need 44");
  }

  @Test
  void nonFiniteMappedKeyIsReportedBySearchWithItsId() throws IOException {
    float[] keys = new float[200 * 3];
    keys[150 * 3 + 2] = Float.NaN;
    Path file = writeKeys(keys, 0);
    try (TopKIndex index = TopKIndexes.exactMapped(file, 0, 200, 3)) {
      assertThatThrownBy(() -> index.search(new float[] {1, 1, 1}, 1, 1))
          .isInstanceOf(InvalidKeysException.class)
          .hasMessageContaining("key 150 component 2 is NaN in " + file);
    }
  }

  @Test
  void float16RoundTripsEveryFiniteHalf() {
    for (int h = 0; h < 1 << 16; h++) {
      float f = HalfFloats.float16ToFloat((short) h);
      if (Float.isFinite(f)) {
        assertThat(HalfFloats.floatToFloat16(f) & 0xffff).as("half %s", h).isEqualTo(h);
      }
    }
  }

  @Test
  void float16RoundsHalfwayCasesToEven() {
    // 1 + 2^-11 lies halfway between 1 and 1 + 2^-10: to even (1); 1 + 3·2^-11 rounds up to even.
    assertThat(HalfFloats.float16ToFloat(HalfFloats.floatToFloat16(1 + 0x1p-11f))).isEqualTo(1f);
    assertThat(HalfFloats.float16ToFloat(HalfFloats.floatToFloat16(1 + 3 * 0x1p-11f)))
        .isEqualTo(1 + 0x1p-9f);
    assertThat(HalfFloats.float16ToFloat(HalfFloats.floatToFloat16(0x1p-25f))).isEqualTo(0f);
    assertThat(HalfFloats.float16ToFloat(HalfFloats.floatToFloat16(3 * 0x1p-25f))).isEqualTo(0x1p-23f);
    assertThat(HalfFloats.float16ToFloat(HalfFloats.floatToFloat16(65519f))).isEqualTo(65504f);
  }

  @Test
  void bfloat16KeepsTheTopSixteenBitsRoundedToEven() {
    assertThat(HalfFloats.bfloat16ToFloat(HalfFloats.floatToBfloat16(1 + 0x1p-8f))).isEqualTo(1f);
    assertThat(HalfFloats.bfloat16ToFloat(HalfFloats.floatToBfloat16(1 + 3 * 0x1p-8f)))
        .isEqualTo(1 + 0x1p-6f);
    assertThat(HalfFloats.bfloat16ToFloat(HalfFloats.floatToBfloat16(-2.5f))).isEqualTo(-2.5f);
  }

  @Test
  void halfPrecisionIndexesEqualFloat32IndexOverRoundedKeysAtHalfTheMemory() throws IOException {
    long seed = TestData.seed("halfPrecisionIndexes");
    Random random = new Random(seed);
    int n = 700;
    int dim = 24;
    float[] keys = TestData.gaussians(random, n * dim);
    float[] queries = TestData.gaussians(random, 9 * dim);
    Path file = writeKeys(keys, 0);
    for (KeyPrecision precision : new KeyPrecision[] {KeyPrecision.FLOAT16, KeyPrecision.BFLOAT16}) {
      float[] rounded = new float[keys.length];
      for (int i = 0; i < keys.length; i++) {
        rounded[i] = precision == KeyPrecision.FLOAT16
            ? HalfFloats.float16ToFloat(HalfFloats.floatToFloat16(keys[i]))
            : HalfFloats.bfloat16ToFloat(HalfFloats.floatToBfloat16(keys[i]));
      }
      TopKResult expected = search(TopKIndexes.exact(rounded, n, dim), queries, 9, 10);
      TopKResult heap = search(
          TopKIndexes.builder().keys(keys, n, dim).precision(precision).build(), queries, 9, 10);
      TopKResult mapped = search(TopKIndexes.builder().mappedKeys(file, 0, n, dim)
          .precision(precision).build(), queries, 9, 10);
      assertThat(heap.ids()).as("%s seed %s", precision, seed).containsExactly(expected.ids());
      assertThat(heap.scores()).containsExactly(expected.scores());
      assertThat(mapped.ids()).containsExactly(expected.ids());
    }
  }

  @Test
  void float16RejectsKeysOutsideItsRange() {
    assertThatThrownBy(() -> TopKIndexes.builder().keys(new float[] {1, 70000}, 1, 2)
        .precision(KeyPrecision.FLOAT16).build())
        .isInstanceOf(InvalidKeysException.class)
        .hasMessageContaining("key 0 component 1 (70000.0) exceeds the float16 range");
  }
}
