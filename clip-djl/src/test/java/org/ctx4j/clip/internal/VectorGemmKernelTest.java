package org.ctx4j.clip.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * The Java route's kernel keeps each element's arithmetic independent of the range or row block it
 * is computed in: the vector lanes and the scalar tails give the same bits, and a row of a GEMM is
 * the same alone as among 1 to 13 others, for widths that leave partial panels.
 */
class VectorGemmKernelTest {
  private final GemmKernel kernel = JavaRoute.kernel();

  @Test
  void quickGeluIsTheSameBitsInVectorLanesAndScalarTails() {
    SplittableRandom random = new SplittableRandom(3);
    float[] x = new float[1000];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (random.nextGaussian() * (i % 10 == 0 ? 60 : 3));
    }
    x[1] = 0f;
    x[2] = -0f;
    x[3] = 200f;
    x[4] = -200f;
    float[] scalar = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      scalar[i] = Activations.quickGelu(x[i]);
    }
    for (int offset = 0; offset < 17; offset++) {
      float[] y = x.clone();
      kernel.quickGelu(y, 0, offset);
      kernel.quickGelu(y, offset, y.length);
      assertThat(y).as("split at %s", offset).containsExactly(scalar);
    }
    for (int i = 0; i < x.length; i++) {
      double exact = x[i] / (1 + Math.exp(-1.702 * x[i]));
      assertThat((double) scalar[i]).as("quick_gelu(%s)", x[i])
          .isCloseTo(exact, Offset.offset(2e-6 * Math.max(1, Math.abs(exact))));
    }
  }

  @Test
  void aGemmRowIsTheSameAloneAndInAnyBlock() {
    SplittableRandom random = new SplittableRandom(4);
    int n = 40;
    int k = 37;
    float[] w = new float[n * k];
    float[] bias = new float[n];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) random.nextGaussian();
    }
    for (int i = 0; i < n; i++) {
      bias[i] = (float) random.nextGaussian();
    }
    PackedMatrix packed = PackedMatrix.pack(w, bias, n, k, kernel.panelWidth());
    int rows = 14;
    float[] x = new float[rows * k];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextGaussian();
    }
    float[][] alone = new float[rows][];
    for (int r = 0; r < rows; r++) {
      float[] out = new float[n];
      float[] row = Arrays.copyOfRange(x, r * k, (r + 1) * k);
      multiply(row, 1, packed, 0, packed.panels(), out);
      alone[r] = out;
      double expected0 = bias[0];
      for (int i = 0; i < k; i++) {
        expected0 += (double) x[r * k + i] * w[i];
      }
      assertThat((double) out[0]).isCloseTo(expected0, Offset.offset(1e-4));
    }
    for (int m = 1; m <= rows; m++) {
      float[] out = new float[m * n];
      for (int p = 0; p < packed.panels(); p++) {
        multiply(x, m, packed, p, p + 1, out);
      }
      for (int r = 0; r < m; r++) {
        assertThat(Arrays.copyOfRange(out, r * n, (r + 1) * n)).as("row %s of %s", r, m)
            .containsExactly(alone[r]);
      }
    }
  }

  @Test
  void everyElementIsTheFusedChainOverIncreasingKThenTheBias() {
    SplittableRandom random = new SplittableRandom(5);
    int n = 2 * kernel.panelWidth() + 7;
    int k = 53;
    float[] w = gaussians(random, n * k);
    float[] bias = gaussians(random, n);
    PackedMatrix packed = PackedMatrix.pack(w, bias, n, k, kernel.panelWidth());
    // row counts around the 8-row blocks and past the 128-row chunk the kernel re-lays at once
    for (int m : new int[] {1, 7, 8, 9, 127, 128, 141}) {
      float[] x = gaussians(random, m * k);
      float[] out = new float[m * n];
      multiply(x, m, packed, 0, packed.panels(), out);
      for (int r = 0; r < m; r++) {
        for (int c = 0; c < n; c++) {
          float chain = 0f;
          for (int i = 0; i < k; i++) {
            chain = Math.fma(x[r * k + i], w[c * k + i], chain);
          }
          assertThat(out[r * n + c]).as("row %s column %s of %s rows", r, c, m)
              .isEqualTo(chain + bias[c]);
        }
      }
    }
  }

  @Test
  void theFusedActivationAndResidualAreTheSameBitsAsAppliedAfterwards() {
    SplittableRandom random = new SplittableRandom(6);
    int n = kernel.panelWidth() + 5;
    int k = 29;
    int m = 19;
    PackedMatrix packed =
        PackedMatrix.pack(gaussians(random, n * k), gaussians(random, n), n, k, kernel.panelWidth());
    float[] x = gaussians(random, m * k);
    float[] residual = gaussians(random, m * n);
    float[] plain = new float[m * n];
    multiply(x, m, packed, 0, packed.panels(), plain);
    float[] activated = plain.clone();
    kernel.quickGelu(activated, 0, activated.length);
    float[] added = new float[m * n];
    for (int i = 0; i < added.length; i++) {
      added[i] = plain[i] + residual[i];
    }
    float[] rows = new float[m * k];
    kernel.packRows(x, m, k, 0, m, rows);
    float[] fused = new float[m * n];
    kernel.multiply(rows, m, packed, 0, packed.panels(), fused, true, null);
    assertThat(fused).containsExactly(activated);
    kernel.multiply(rows, m, packed, 0, packed.panels(), fused, false, residual);
    assertThat(fused).containsExactly(added);
  }

  @Test
  void aWeightedSumIsEachElementsFusedChainOverTheRows() {
    SplittableRandom random = new SplittableRandom(7);
    int stride = 150;
    for (int n : new int[] {3, 16, 64, 71, 100}) {
      for (int count : new int[] {1, 2, 50}) {
        float[] x = gaussians(random, count * stride + n);
        float[] weights = gaussians(random, count);
        float[] chains = new float[n + 4];
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < count; j++) {
            chains[2 + i] = Math.fma(x[7 + j * stride + i], weights[j], chains[2 + i]);
          }
        }
        float[] sum = new float[n + 4];
        kernel.weightedSum(weights, count, x, 7, stride, sum, 2, n);
        assertThat(sum).as("n %s, %s rows", n, count).containsExactly(chains);
      }
    }
  }

  @Test
  void dotsOfARunOfKeysAreTheSameBitsAsEachDot() {
    SplittableRandom random = new SplittableRandom(8);
    int stride = 90;
    for (int n : new int[] {5, 16, 64, 70}) {
      for (int count : new int[] {1, 3, 4, 9, 50}) {
        float[] q = gaussians(random, n + 3);
        float[] keys = gaussians(random, count * stride + n + 1);
        float[] dots = new float[count];
        kernel.dots(q, 3, keys, 1, stride, n, count, dots);
        for (int j = 0; j < count; j++) {
          assertThat(dots[j]).as("key %s of %s, n %s", j, count, n)
              .isEqualTo(kernel.dot(q, 3, keys, 1 + j * stride, n));
        }
      }
    }
  }

  /** Lays out the rows one block at a time, as threads would, then multiplies. */
  private void multiply(float[] x, int m, PackedMatrix w, int panelFrom, int panelTo, float[] out) {
    float[] rows = new float[m * w.k()];
    for (int r = 0; r < m; r += kernel.rowBlock()) {
      kernel.packRows(x, m, w.k(), r, Math.min(m, r + kernel.rowBlock()), rows);
    }
    kernel.multiply(rows, m, w, panelFrom, panelTo, out, false, null);
  }

  private static float[] gaussians(SplittableRandom random, int count) {
    float[] values = new float[count];
    for (int i = 0; i < count; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return values;
  }
}
