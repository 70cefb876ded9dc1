package org.ctx4j.core.internal.image;

/**
 * Fixed-point BICUBIC weights for resizing one axis, computed exactly as Pillow 9.4 does ({@code
 * libImaging/Resample.c}: {@code precompute_coeffs} then {@code normalize_coeffs_8bpc}), so that
 * the integer kernels reproduce Pillow's output bit for bit.
 *
 * <p>Output pixel {@code i} is {@code clip8((1 << 21 + Σ_j in[start(i) + j] · weight(i, j)) >> 22)}
 * for {@code j < count(i)}.
 */
public final class BicubicAxis {
  /** Pillow's {@code PRECISION_BITS} for 8-bit images: 32 - 8 - 2. */
  public static final int PRECISION_BITS = 22;

  /** Rounding bias added to every accumulator: {@code 1 << (PRECISION_BITS - 1)}. */
  public static final int HALF = 1 << (PRECISION_BITS - 1);

  private static final double SUPPORT = 2.0;

  private final int inSize;
  private final int outSize;
  private final int stride;
  private final int[] start;
  private final int[] count;
  private final int[] weights;

  private BicubicAxis(
      int inSize, int outSize, int stride, int[] start, int[] count, int[] weights) {
    this.inSize = inSize;
    this.outSize = outSize;
    this.stride = stride;
    this.start = start;
    this.count = count;
    this.weights = weights;
  }

  /** Weights for resizing {@code inSize} pixels to {@code outSize} (box {@code [0, inSize)}). */
  public static BicubicAxis of(int inSize, int outSize) {
    if (inSize <= 0 || outSize <= 0) {
      throw new IllegalArgumentException("sizes must be positive: " + inSize + " -> " + outSize);
    }
    // Same expressions, same order, same double arithmetic as precompute_coeffs (in0 = 0).
    double scale = (double) inSize / outSize;
    double filterScale = Math.max(scale, 1.0);
    double support = SUPPORT * filterScale;
    int ksize = (int) Math.ceil(support) * 2 + 1;
    int[] start = new int[outSize];
    int[] count = new int[outSize];
    int[] weights = new int[outSize * ksize];
    double[] k = new double[ksize];
    double ss = 1.0 / filterScale;
    for (int xx = 0; xx < outSize; xx++) {
      double center = 0.0 + (xx + 0.5) * scale;
      double ww = 0.0;
      int xmin = Math.max((int) (center - support + 0.5), 0);
      int xmax = Math.min((int) (center + support + 0.5), inSize) - xmin;
      for (int x = 0; x < xmax; x++) {
        double w = bicubic((x + xmin - center + 0.5) * ss);
        k[x] = w;
        ww += w;
      }
      for (int x = 0; x < xmax; x++) {
        if (ww != 0.0) {
          k[x] /= ww;
        }
        // normalize_coeffs_8bpc: round half away from zero via truncating casts.
        double scaled = k[x] * (1 << PRECISION_BITS);
        weights[xx * ksize + x] = k[x] < 0 ? (int) (-0.5 + scaled) : (int) (0.5 + scaled);
      }
      start[xx] = xmin;
      count[xx] = Math.max(xmax, 0);
    }
    return new BicubicAxis(inSize, outSize, ksize, start, count, weights);
  }

  /** Pillow's bicubic convolution kernel with {@code a = -0.5}. */
  private static double bicubic(double x) {
    double a = -0.5;
    if (x < 0.0) {
      x = -x;
    }
    if (x < 1.0) {
      return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
    }
    if (x < 2.0) {
      return (((x - 5) * x + 8) * x - 4) * a;
    }
    return 0.0;
  }

  public int inSize() {
    return inSize;
  }

  public int outSize() {
    return outSize;
  }

  /** First input pixel that output pixel {@code i} reads. */
  public int start(int i) {
    return start[i];
  }

  /** How many input pixels output pixel {@code i} reads. */
  public int count(int i) {
    return count[i];
  }

  /** Offset of output pixel {@code i}'s first weight in {@link #weights()}. */
  public int weightOffset(int i) {
    return i * stride;
  }

  /** All weights, {@link #weightOffset} gives each output's slice. Not copied: do not modify. */
  int[] weights() {
    return weights;
  }

  /** Pillow's {@code clip8}: the accumulator shifted down, clamped to {@code 0..255}. */
  static int clip8(int accumulator) {
    int v = accumulator >> PRECISION_BITS;
    return v < 0 ? 0 : Math.min(v, 255);
  }
}
