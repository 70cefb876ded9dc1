package org.ctx4j.core.internal.retrieval;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
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

  /**
   * Writes {@code keys} as float32 little-endian at byte {@code offset} of a new {@code file}
   * (zeros before them), as the caption db stores its key matrix.
   */
  public static Path writeKeyFile(Path file, float[] keys, int offset) throws IOException {
    ByteBuffer buffer =
        ByteBuffer.allocate(offset + 4 * keys.length).order(ByteOrder.LITTLE_ENDIAN);
    buffer.position(offset);
    buffer.asFloatBuffer().put(keys);
    return Files.write(file, buffer.array());
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
