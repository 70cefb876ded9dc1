package org.ctx4j.benchmarks.clip;

import java.util.SplittableRandom;
import org.ctx4j.clip.internal.GemmKernel;
import org.ctx4j.clip.internal.JavaRoute;
import org.ctx4j.clip.internal.PackedMatrix;

/**
 * The Java route's GEMM kernel on one thread, for the four linear shapes of a ViT-B/32 layer at a
 * batch of 8 images (400 rows): GFLOP/s of each, one JSON line per shape. Read against the core's
 * FMA ceiling that {@code benchmarks/peers/gemm_ceiling.sh} measures in the same run
 * ({@code fma_peak.c}): their ratio is the kernel's efficiency, which no change of micro-kernel can
 * take past 1.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar \
 *   org.ctx4j.benchmarks.clip.GemmCeilingMain [rows]
 * </pre>
 */
public final class GemmCeilingMain {
  private GemmCeilingMain() {}

  public static void main(String[] args) {
    int m = args.length > 0 ? Integer.parseInt(args[0]) : 400;
    GemmKernel kernel = JavaRoute.kernel();
    if (kernel == null) {
      throw new IllegalStateException("run with --add-modules jdk.incubator.vector");
    }
    String[] names = {"qkv", "out", "fc1", "fc2"};
    int[][] shapes = {{2304, 768}, {768, 768}, {3072, 768}, {768, 3072}};
    SplittableRandom random = new SplittableRandom(1);
    for (int s = 0; s < shapes.length; s++) {
      int n = shapes[s][0];
      int k = shapes[s][1];
      PackedMatrix w =
          PackedMatrix.pack(randoms(random, n * k), randoms(random, n), n, k, kernel.panelWidth());
      float[] rows = new float[m * k];
      kernel.packRows(randoms(random, m * k), m, k, 0, m, rows);
      float[] out = new float[m * n];
      double best = 0;
      for (int round = 0; round < 6; round++) {
        long start = System.nanoTime();
        int calls = 0;
        while (System.nanoTime() - start < 700_000_000L) {
          kernel.multiply(rows, m, w, 0, w.panels(), out, false, null);
          calls++;
        }
        double gflops = 2.0 * m * n * k * calls / ((System.nanoTime() - start) / 1e9) / 1e9;
        if (round >= 2) {
          best = Math.max(best, gflops);
        }
      }
      System.out.printf(
          "{\"ours\": \"%s\", \"shape\": \"%s %dx%dx%d\", \"gflops\": %.1f}%n",
          kernel.name(), names[s], m, n, k, best);
    }
  }

  private static float[] randoms(SplittableRandom random, int count) {
    float[] values = new float[count];
    for (int i = 0; i < count; i++) {
      values[i] = (float) random.nextDouble(-0.5, 0.5);
    }
    return values;
  }
}
