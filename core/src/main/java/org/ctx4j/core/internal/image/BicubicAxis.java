package org.ctx4j.core.internal.image;

/**
 * Fixed-point BICUBIC weights for resizing one axis, computed exactly as Pillow 9.4 does ({@code
 * libImaging/Resample.c}: {@code precompute_coeffs} then {@code normalize_coeffs_8bpc}), so that
 * the integer kernels reproduce Pillow's output bit for bit.
 *
 * <p>Output pixel {@code i} is {@code clip8((1 << 21 + Σ_j in[start(i) + j] · weight(i, j)) >> 22)}
 * for {@code j < count(i)}. Weights can be computed for a range of outputs only, so that a
 * 224-pixel window of a very long resized side costs no more than the window.
 */
public final class BicubicAxis {
  /** Pillow's {@code PRECISION_BITS} for 8-bit images: 32 - 8 - 2. */
  public static final int PRECISION_BITS = 22;

  /** Rounding bias added to every accumulator: {@code 1 << (PRECISION_BITS - 1)}. */
  public static final int HALF = 1 << (PRECISION_BITS - 1);

  private static final double SUPPORT = 2.0;

  private final int inSize;
  private final int outSize;
  private final int firstOut;
  private final int stride;
  private final int[] start;
  private final int[] count;
  private final int[] weights;

  private BicubicAxis(
      int inSize, int outSize, int firstOut, int stride, int[] start, int[] count, int[] weights) {
    this.inSize = inSize;
    this.outSize = outSize;
    this.firstOut = firstOut;
    this.stride = stride;
    this.start = start;
    this.count = count;
    this.weights = weights;
  }

  /** Weights for resizing {@code inSize} pixels to {@code outSize} (box {@code [0, inSize)}). */
  public static BicubicAxis of(int inSize, int outSize) {
    return of(inSize, outSize, 0, outSize);
  }

  /**
   * Weights of outputs {@code [firstOut, endOut)} only, for resizing {@code inSize} pixels to
   * {@code outSize}; the accessors then accept only those output indices.
   */
  public static BicubicAxis of(int inSize, int outSize, int firstOut, int endOut) {
    if (inSize <= 0 || outSize <= 0) {
      throw new IllegalArgumentException("sizes must be positive: " + inSize + " -> " + outSize);
    }
    if (firstOut < 0 || endOut > outSize || firstOut >= endOut) {
      throw new IllegalArgumentException(
          "output range [" + firstOut + ", " + endOut + ") not inside [0, " + outSize + ")");
    }
    int outputs = endOut - firstOut;
    // Same expressions, same order, same double arithmetic as precompute_coeffs (in0 = 0).
    double scale = (double) inSize / outSize;
    double filterScale = Math.max(scale, 1.0);
    double support = SUPPORT * filterScale;
    int ksize = (int) Math.ceil(support) * 2 + 1;
    int[] start = new int[outputs];
    int[] count = new int[outputs];
    int[] weights = new int[outputs * ksize];
    double[] k = new double[ksize];
    double ss = 1.0 / filterScale;
    for (int xx = firstOut; xx < endOut; xx++) {
      int slot = xx - firstOut;
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
        weights[slot * ksize + x] = k[x] < 0 ? (int) (-0.5 + scaled) : (int) (0.5 + scaled);
      }
      start[slot] = xmin;
      count[slot] = Math.max(xmax, 0);
    }
    return new BicubicAxis(inSize, outSize, firstOut, ksize, start, count, weights);
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
    return start[i - firstOut];
  }

  /** How many input pixels output pixel {@code i} reads. */
  public int count(int i) {
    return count[i - firstOut];
  }

  /** Offset of output pixel {@code i}'s first weight in {@link #weights()}. */
  public int weightOffset(int i) {
    return (i - firstOut) * stride;
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
