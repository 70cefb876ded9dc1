package org.ctx4j.core.internal.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Properties of the Pillow weights; bit-exactness against Pillow itself is pinned by the golden
 * tests in {@code ClipPreprocessorTest}.
 */
class BicubicAxisTest {

  @Test
  void sameSizeIsTheIdentity() {
    BicubicAxis axis = BicubicAxis.of(7, 7);
    for (int i = 0; i < 7; i++) {
      int sum = 0;
      for (int j = 0; j < axis.count(i); j++) {
        int w = axis.weights()[axis.weightOffset(i) + j];
        int source = axis.start(i) + j;
        assertThat(w).as("out %d from %d", i, source).isEqualTo(source == i ? 1 << 22 : 0);
        sum += w;
      }
      assertThat(sum).isEqualTo(1 << 22);
    }
  }

  @Test
  void weightsStayInsideTheInputAndSumToOneWithinRounding() {
    SplittableRandom random = new SplittableRandom(42);
    for (int[] sizes :
        new int[][] {{1, 224}, {224, 1}, {3, 224}, {640, 298}, {1000, 224}, {513, 511}}) {
      check(sizes[0], sizes[1]);
    }
    for (int trial = 0; trial < 200; trial++) {
      long seed = random.nextLong();
      SplittableRandom r = new SplittableRandom(seed);
      int in = 1 + r.nextInt(2000);
      int out = 1 + r.nextInt(400);
      check(in, out);
    }
  }

  private static void check(int in, int out) {
    BicubicAxis axis = BicubicAxis.of(in, out);
    for (int i = 0; i < out; i++) {
      assertThat(axis.start(i)).isGreaterThanOrEqualTo(0);
      assertThat(axis.start(i) + axis.count(i))
          .as("%d->%d out %d", in, out, i)
          .isLessThanOrEqualTo(in);
      assertThat(axis.count(i)).isPositive();
      long sum = 0;
      for (int j = 0; j < axis.count(i); j++) {
        sum += axis.weights()[axis.weightOffset(i) + j];
      }
      // Each weight is rounded once: the sum is within count/2 of 1.0 in fixed point.
      assertThat(Math.abs(sum - (1 << 22)))
          .as("%d->%d out %d", in, out, i)
          .isLessThanOrEqualTo(axis.count(i));
    }
  }

  @Test
  void aRangeOfOutputsHasTheSameWeightsAsTheWholeAxis() {
    BicubicAxis whole = BicubicAxis.of(333, 1000);
    BicubicAxis part = BicubicAxis.of(333, 1000, 388, 612);
    for (int i = 388; i < 612; i++) {
      assertThat(part.start(i)).isEqualTo(whole.start(i));
      assertThat(part.count(i)).isEqualTo(whole.count(i));
      for (int j = 0; j < whole.count(i); j++) {
        assertThat(part.weights()[part.weightOffset(i) + j])
            .isEqualTo(whole.weights()[whole.weightOffset(i) + j]);
      }
    }
  }

  @Test
  void clip8ClampsAndShifts() {
    assertThat(BicubicAxis.clip8(-5 << 22)).isZero();
    assertThat(BicubicAxis.clip8((300 << 22) + 1)).isEqualTo(255);
    assertThat(BicubicAxis.clip8((17 << 22) + BicubicAxis.HALF)).isEqualTo(17);
  }
}
