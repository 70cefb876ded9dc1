package org.ctx4j.core.retrieval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.ctx4j.core.internal.retrieval.TestData;
import org.junit.jupiter.api.Test;

class IvfTopKIndexTest {

  @Test
  void defaultsFollowTheOriginal() {
    assertThat(IvfOptions.defaults().effectiveNlist(1_000_000)).isEqualTo(8000);
    assertThat(IvfOptions.defaults().effectiveNprobe(1_000_000)).isEqualTo(800);
    assertThat(IvfOptions.defaults().effectiveNlist(100_000)).isEqualTo(2530);
    assertThat(IvfOptions.defaults().effectiveNprobe(100_000)).isEqualTo(253);
  }

  @Test
  void probingEveryListIsExact() {
    long seed = TestData.seed("probingEveryListIsExact");
    Random random = new Random(seed);
    int n = 2000;
    int dim = 16;
    float[] keys = TestData.gaussians(random, n * dim);
    float[] queries = TestData.gaussians(random, 50 * dim);
    IvfOptions options = IvfOptions.defaults().withNlist(20).withNprobe(20).withSeed(seed);
    try (TopKIndex exact = TopKIndexes.exact(keys, n, dim);
        TopKIndex ivf = TopKIndexes.ivf(keys, n, dim, options)) {
      TopKResult want = exact.search(queries, 50, 16);
      TopKResult got = ivf.search(queries, 50, 16);
      assertThat(got.ids()).as("seed %s", seed).containsExactly(want.ids());
      assertThat(got.scores()).containsExactly(want.scores());
    }
  }

  @Test
  void defaultSettingsRecallMostNeighboursOfClusteredKeys() {
    long seed = TestData.seed("defaultSettingsRecall");
    Random random = new Random(seed);
    int n = 5_000;
    int dim = 32;
    int clusters = 50;
    float[] centers = TestData.gaussians(random, clusters * dim);
    float[] keys = new float[n * dim];
    for (int i = 0; i < n; i++) {
      int c = random.nextInt(clusters);
      for (int p = 0; p < dim; p++) {
        keys[i * dim + p] = centers[c * dim + p] + 0.3f * (float) random.nextGaussian();
      }
    }
    int nq = 100;
    float[] queries = new float[nq * dim];
    System.arraycopy(keys, 0, queries, 0, nq * dim);
    try (TopKIndex exact = TopKIndexes.exact(keys, n, dim);
        TopKIndex ivf = TopKIndexes.ivf(keys, n, dim, IvfOptions.defaults().withSeed(seed))) {
      assertThat(((IvfTopKIndex) ivf).nlist()).isEqualTo(566);
      assertThat(((IvfTopKIndex) ivf).nprobe()).isEqualTo(56);
      TopKResult want = exact.search(queries, nq, 16);
      TopKResult got = ivf.search(queries, nq, 16);
      int hits = 0;
      for (int q = 0; q < nq; q++) {
        java.util.Set<Integer> truth = new java.util.HashSet<>();
        for (int j = 0; j < 16; j++) {
          truth.add(want.id(q, j));
        }
        for (int j = 0; j < 16; j++) {
          hits += truth.contains(got.id(q, j)) ? 1 : 0;
        }
      }
      assertThat(hits / (double) (nq * 16)).as("recall@16, seed %s", seed).isGreaterThan(0.8);
    }
  }
}
