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
      kernel.multiply(row, 1, packed, 0, packed.panels(), out);
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
        kernel.multiply(x, m, packed, p, p + 1, out);
      }
      for (int r = 0; r < m; r++) {
        assertThat(Arrays.copyOfRange(out, r * n, (r + 1) * n)).as("row %s of %s", r, m)
            .containsExactly(alone[r]);
      }
    }
  }
}
