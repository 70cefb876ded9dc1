package org.ctx4j.core.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.ctx4j.InvalidKeysException;
import org.ctx4j.core.internal.retrieval.BruteForce;
import org.ctx4j.core.internal.retrieval.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExactTopKIndexTest {

  private static TopKIndex index(float[] keys, int n, int dim, int threads) {
    return TopKIndexes.builder().keys(keys, n, dim).threads(threads).build();
  }

  @Test
  void rejectsKBelowOne() {
    try (TopKIndex index = TopKIndexes.exact(new float[] {1, 0}, 1, 2)) {
      assertThatThrownBy(() -> index.search(new float[] {1, 0}, 1, 0))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("k (0) < 1");
    }
  }

  @Test
  void rejectsKLargerThanNumberOfKeys() {
    try (TopKIndex index = TopKIndexes.exact(new float[] {1, 0, 0, 1}, 2, 2)) {
      assertThatThrownBy(() -> index.search(new float[] {1, 0}, 1, 3))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("k (3) > number of keys (2)");
    }
  }

  @Test
  void rejectsQueriesOfTheWrongDimension() {
    try (TopKIndex index = TopKIndexes.exact(new float[] {1, 0, 0, 1}, 2, 2)) {
      assertThatThrownBy(() -> index.search(new float[] {1, 0, 0}, 1, 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("queries has 3 floats, but 1 queries of dimension 2 need 2");
    }
  }

  @Test
  void rejectsNonFiniteQueryNamingQueryAndComponent() {
    try (TopKIndex index = TopKIndexes.exact(new float[] {1, 0, 0, 1}, 2, 2)) {
      assertThatThrownBy(() -> index.search(new float[] {1, 0, 0, Float.NaN}, 2, 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("query 1 component 1 is NaN");
    }
  }

  @Test
  void rejectsNonFiniteKeyNamingKeyAndComponent() {
    float[] keys = {1, 0, 0, Float.POSITIVE_INFINITY};
    assertThatThrownBy(() -> TopKIndexes.exact(keys, 2, 2))
        .isInstanceOf(InvalidKeysException.class)
        .hasMessageContaining("key 1 component 1 is Infinity in heap keys")
        .extracting(e -> ((InvalidKeysException) e).keyId()).isEqualTo(1L);
  }

  @Test
  void rejectsEmptyKeySet() {
    assertThatThrownBy(() -> TopKIndexes.exact(new float[0], 0, 4))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty key set");
  }

  @Test
  void rejectsKeyArrayOfWrongLength() {
    assertThatThrownBy(() -> TopKIndexes.exact(new float[7], 2, 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("keys has 7 floats, but n (2) × dim (4) = 8");
  }

  @Test
  void builderWithoutKeysNamesTheMethodToCall() {
    assertThatThrownBy(() -> TopKIndexes.builder().build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("keys(...) or mappedKeys");
  }

  @Test
  void zeroQueriesGiveAnEmptyResult() {
    try (TopKIndex index = TopKIndexes.exact(new float[] {1, 0}, 1, 2)) {
      TopKResult r = index.search(new float[0], 0, 1);
      assertThat(r.ids()).isEmpty();
    }
  }

  @Test
  void kEqualToNumberOfKeysReturnsAllSorted() {
    float[] keys = {1, 2, 3, 3, 0, 5};
    try (TopKIndex index = TopKIndexes.exact(keys, 6, 1)) {
      TopKResult r = index.search(new float[] {1}, 1, 6);
      assertThat(r.ids()).containsExactly(5, 2, 3, 1, 0, 4);
      assertThat(r.scores()).containsExactly(5, 3, 3, 2, 1, 0);
    }
  }

  @Test
  void equalScoresAreOrderedByLowerId() {
    int n = 300; // all keys equal: the answer is ids 0..k-1 whatever the split across threads
    float[] keys = new float[n * 3];
    java.util.Arrays.fill(keys, 1f);
    try (TopKIndex index = index(keys, n, 3, 3)) {
      TopKResult r = index.search(new float[] {1, 1, 1, -1, 2, 0}, 2, 16);
      for (int q = 0; q < 2; q++) {
        for (int j = 0; j < 16; j++) {
          assertThat(r.id(q, j)).isEqualTo(j);
        }
      }
    }
  }

  @ParameterizedTest(name = "n={0} dim={1} nq={2} k={3}")
  @CsvSource({"1,1,1,1", "5,3,7,5", "63,7,5,16", "65,13,300,16", "1000,31,37,16", "2049,64,600,8",
      "130,511,3,7"})
  void equalsDoublePrecisionReferenceOnIntegerVectors(int n, int dim, int nq, int k) {
    long seed = TestData.seed("reference n=" + n + " dim=" + dim);
    Random random = new Random(seed);
    float[] keys = TestData.integers(random, n * dim, 2);
    float[] queries = TestData.integers(random, nq * dim, 2);
    int[] expected = BruteForce.topK(keys, n, queries, nq, dim, k);
    try (TopKIndex index = index(keys, n, dim, 2)) {
      TopKResult r = index.search(queries, nq, k);
      assertThat(r.ids()).as("seed %s", seed).containsExactly(expected);
      for (int q = 0; q < nq; q++) {
        for (int j = 0; j < k; j++) {
          assertThat((double) r.score(q, j)).as("seed %s", seed)
              .isEqualTo(BruteForce.dot(keys, r.id(q, j), queries, q, dim));
        }
      }
    }
  }

  @Test
  void randomFloatsMatchReferenceWithinFloatRounding() {
    long seed = TestData.seed("randomFloatsMatchReferenceWithinFloatRounding");
    Random random = new Random(seed);
    int n = 3001;
    int dim = 77;
    int nq = 41;
    int k = 16;
    float[] keys = TestData.gaussians(random, n * dim);
    float[] queries = TestData.gaussians(random, nq * dim);
    try (TopKIndex index = index(keys, n, dim, 2)) {
      TopKResult r = index.search(queries, nq, k);
      for (int q = 0; q < nq; q++) {
        double[] exact = BruteForce.scores(keys, n, queries, q, dim);
        double[] sorted = exact.clone();
        java.util.Arrays.sort(sorted);
        double kth = sorted[n - k];
        for (int j = 0; j < k; j++) {
          double truth = exact[r.id(q, j)];
          assertThat((double) r.score(q, j)).as("seed %s", seed).isCloseTo(truth,
              org.assertj.core.data.Offset.offset(1e-4));
          assertThat(truth).as("seed %s: a returned key's true score", seed).isGreaterThan(kth - 1e-4);
          if (j > 0) {
            assertThat(r.score(q, j)).isLessThanOrEqualTo(r.score(q, j - 1));
          }
        }
      }
    }
  }

  @Test
  void resultsDoNotDependOnThreadCount() {
    long seed = TestData.seed("resultsDoNotDependOnThreadCount");
    Random random = new Random(seed);
    int n = 5000;
    int dim = 33;
    int nq = 700;
    float[] keys = TestData.gaussians(random, n * dim);
    float[] queries = TestData.gaussians(random, nq * dim);
    TopKResult one;
    try (TopKIndex index = index(keys, n, dim, 1)) {
      one = index.search(queries, nq, 10);
    }
    for (int threads : new int[] {2, 3, 8}) {
      try (TopKIndex index = index(keys, n, dim, threads)) {
        TopKResult many = index.search(queries, nq, 10);
        assertThat(many.ids()).as("seed %s threads %s", seed, threads).containsExactly(one.ids());
        assertThat(many.scores()).containsExactly(one.scores());
      }
    }
  }

  @Test
  void searchAfterCloseFails() {
    TopKIndex index = TopKIndexes.exact(new float[] {1}, 1, 1);
    index.close();
    assertThatThrownBy(() -> index.search(new float[] {1}, 1, 1))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }
}
