package org.ctx4j.core.internal.retrieval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every kernel against the oracle at awkward sizes. The SIMD kernel is only present on JDK 25 with
 * jdk.incubator.vector: core/pom.xml runs this class a second time there; on Java 17 it is skipped.
 */
class KernelOracleTest {
  private static final int[] AWKWARD = {1, 7, 13, 511, 513, 1021};

  /** Scores every query of a block against every panel of {@code keys} with {@code kernel}. */
  static BlockTopK run(TopKKernel kernel, float[] keys, int n, float[] queries, int nq, int dim, int k) {
    KeyPanels panels = PackedFloatPanels.pack(keys, n, dim, "heap keys");
    BlockTopK topK = new BlockTopK(nq, k, null);
    PanelScan.scan(kernel, panels, 0, panels.panelCount(),
        PanelLayout.packQueries(queries, 0, nq, dim), topK, new PanelCursor(dim));
    return topK;
  }

  private static void assertSameResults(BlockTopK a, BlockTopK b, int nq, int k, String context) {
    for (int q = 0; q < nq; q++) {
      int[] idsA = new int[k];
      int[] idsB = new int[k];
      float[] scoresA = new float[k];
      float[] scoresB = new float[k];
      a.drainSorted(q, idsA, scoresA, 0);
      b.drainSorted(q, idsB, scoresB, 0);
      assertThat(idsA).as("%s query %s ids", context, q).containsExactly(idsB);
      assertThat(scoresA).as("%s query %s scores", context, q).containsExactly(scoresB);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 7, 13, 511, 513, 1021})
  void scalarKernelEqualsDoubleReferenceOnIntegerVectors(int n) {
    long seed = TestData.seed("scalar n=" + n);
    Random random = new Random(seed);
    for (int dim : new int[] {1, 7, 13}) {
      int nq = 9;
      int k = Math.min(n, 5);
      float[] keys = TestData.integers(random, n * dim, 2);
      float[] queries = TestData.integers(random, nq * dim, 2);
      BlockTopK topK = run(ScalarTopKKernel.INSTANCE, keys, n, queries, nq, dim, k);
      int[] expected = BruteForce.topK(keys, n, queries, nq, dim, k);
      for (int q = 0; q < nq; q++) {
        int[] ids = new int[k];
        float[] scores = new float[k];
        topK.drainSorted(q, ids, scores, 0);
        for (int j = 0; j < k; j++) {
          assertThat(ids[j]).as("seed %s n %s dim %s query %s rank %s", seed, n, dim, q, j)
              .isEqualTo(expected[q * k + j]);
          assertThat((double) scores[j])
              .isEqualTo(BruteForce.dot(keys, ids[j], queries, q, dim));
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 7, 13, 511, 513, 1021})
  void vectorKernelEqualsScalarOracleBitForBit(int size) {
    TopKKernel vector = KernelProvider.vectorKernelOrNull();
    assertThat(vector)
        .as("the SIMD kernel loads: core's tests run with --add-modules jdk.incubator.vector,"
            + " on the build's JDK and on JDK 25 (core/pom.xml)")
        .isNotNull();
    for (boolean fourRows : new boolean[] {false, true}) {
      TopKKernel kernel = vectorKernel(fourRows);
      assertThat(kernel.name()).endsWith(fourRows ? "4x4" : "6x4");
      assertEqualsOracle(kernel, size);
    }
  }

  /** The SIMD kernel with the 6-row (JDK 17's default) or the 4-row (JDK 25's) register block. */
  private static TopKKernel vectorKernel(boolean fourRows) {
    try {
      return (TopKKernel) Class.forName("org.ctx4j.core.internal.retrieval.VectorTopKKernel")
          .getConstructor(boolean.class).newInstance(fourRows);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  private static void assertEqualsOracle(TopKKernel vector, int size) {
    long seed = TestData.seed("vector size=" + size);
    Random random = new Random(seed);
    for (int other : AWKWARD) {
      if (other > 513) {
        continue; // keep the cost small: size × other × 1021 at most
      }
      // size as N with dimension `other`, then as dimension with N = `other`
      int[][] shapes = {{size, other}, {other, size}};
      for (int[] shape : shapes) {
        int n = shape[0];
        int dim = shape[1];
        int nq = 1 + random.nextInt(20); // 1 to 4 tiles: pairs and a lone last tile
        int k = Math.min(n, 1 + random.nextInt(16));
        float[] keys = TestData.gaussians(random, n * dim);
        float[] queries = TestData.gaussians(random, nq * dim);
        String context = vector.name() + " seed " + seed + " n " + n + " dim " + dim + " nq " + nq + " k " + k;
        assertSameResults(run(vector, keys, n, queries, nq, dim, k),
            run(ScalarTopKKernel.INSTANCE, keys, n, queries, nq, dim, k), nq, k, context);
      }
    }
  }
}
