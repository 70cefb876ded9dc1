package org.ctx4j.clip.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import java.util.Random;
import org.ctx4j.core.retrieval.TopKIndex;
import org.ctx4j.core.retrieval.TopKIndexes;
import org.ctx4j.core.retrieval.TopKResult;
import org.junit.jupiter.api.Test;

/** The libtorch path (CPU engine here) agrees with the core index. */
class DjlTopKIndexTest {

  private static float[] gaussians(Random random, int count) {
    float[] out = new float[count];
    for (int i = 0; i < count; i++) {
      out[i] = (float) random.nextGaussian();
    }
    return out;
  }

  @Test
  void agreesWithCoreExactIndexAcrossSeveralKeyBlocks() {
    long seed = Long.getLong("ctx4j.test.seed", System.nanoTime());
    System.out.println("agreesWithCoreExactIndex: seed " + seed);
    Random random = new Random(seed);
    int n = 2500;
    int dim = 40;
    int nq = 30;
    float[] keys = gaussians(random, n * dim);
    float[] queries = gaussians(random, nq * dim);
    try (TopKIndex core = TopKIndexes.exact(keys, n, dim);
        DjlTopKIndex djl = DjlTopKIndex.create(keys, n, dim, Device.cpu(), 1000)) {
      TopKResult want = core.search(queries, nq, 16);
      TopKResult got = djl.search(queries, nq, 16);
      assertThat(got.ids()).as("seed %s", seed).containsExactly(want.ids());
      for (int i = 0; i < want.scores().length; i++) {
        assertThat(got.scores()[i]).isCloseTo(want.scores()[i],
            org.assertj.core.data.Offset.offset(1e-4f));
      }
    }
  }

  /**
   * The build's device index re-scores the device's candidates on the host: bit-identical scores
   * and the same ids as the core index, where libtorch's own GEMM rounds differently (d = 512).
   */
  @Test
  void deviceIndexForBuildsGivesTheCoreIndexsBitsWhereTheGemmDoesNot() {
    Random random = new Random(20261203L);
    int n = 3000;
    int dim = 512;
    int nq = 64;
    float[] keys = gaussians(random, n * dim);
    float[] queries = gaussians(random, nq * dim);
    try (TopKIndex core = TopKIndexes.exact(keys, n, dim);
        DjlTopKIndex plain = DjlTopKIndex.create(keys, n, dim, Device.cpu(), 1000);
        TopKIndex rescored = DjlTopKIndex.onDevice(Device.cpu()).open(keys, n, dim)) {
      TopKResult want = core.search(queries, nq, 16);
      TopKResult got = rescored.search(queries, nq, 16);
      assertThat(got.ids()).containsExactly(want.ids());
      assertThat(got.scores()).containsExactly(want.scores());
      float[] gemm = plain.search(queries, nq, 16).scores();
      assertThat(gemm).as("libtorch's GEMM alone rounds some scores otherwise")
          .isNotEqualTo(want.scores());
    }
  }

  @Test
  void rejectsKLargerThanNumberOfKeys() {
    try (DjlTopKIndex djl = DjlTopKIndex.create(new float[] {1, 2}, 2, 1, Device.cpu(), 8)) {
      assertThatThrownBy(() -> djl.search(new float[] {1}, 1, 3))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("k (3) > number of keys (2)");
    }
  }
}
