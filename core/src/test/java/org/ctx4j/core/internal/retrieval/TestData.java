package org.ctx4j.core.internal.retrieval;

import java.util.Random;

/** Seeded random matrices for retrieval tests; the seed is printed so a failure can be replayed. */
public final class TestData {
  private TestData() {}

  /** A seed from {@code -Dctx4j.test.seed} or the clock, printed to stdout. */
  public static long seed(String test) {
    long seed = Long.getLong("ctx4j.test.seed", System.nanoTime());
    System.out.println(test + ": seed " + seed + " (replay with -Dctx4j.test.seed=" + seed + ")");
    return seed;
  }

  /** Integers in [-range, range]: float32 sums of products stay exact, and ties are frequent. */
  public static float[] integers(Random random, int count, int range) {
    float[] values = new float[count];
    for (int i = 0; i < count; i++) {
      values[i] = random.nextInt(2 * range + 1) - range;
    }
    return values;
  }

  /** Gaussian floats. */
  public static float[] gaussians(Random random, int count) {
    float[] values = new float[count];
    for (int i = 0; i < count; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return values;
  }
}
