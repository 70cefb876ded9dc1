package org.ctx4j.clip.internal;

/**
 * Scalar float functions of the Java CPU route, written with {@link Math#fma} and exact bit
 * manipulation only, so they give the same bits on every JVM and in interpreted and compiled code
 * (unlike {@code Math.exp}, which may use a platform intrinsic).
 */
final class Activations {
  private Activations() {}

  private static final float LOG2E = 1.44269504f;
  private static final float LN2_HI = 0.693145751953125f;
  private static final float LN2_LO = 1.428606765330187e-6f;

  /**
   * {@code e^x} within about 1 ulp: {@code x = n ln2 + r}, {@code |r| <= ln2 / 2}, a degree-7
   * Taylor polynomial for {@code e^r} (truncation below 6e-9 relative), scaled by {@code 2^n}.
   */
  static float exp(float x) {
    if (x < -87f) {
      return x == Float.NEGATIVE_INFINITY || x < -103.9f ? 0f : (float) StrictMath.exp(x);
    }
    if (x > 88.7f) {
      return Float.POSITIVE_INFINITY;
    }
    if (x != x) {
      return x;
    }
    float n = (float) Math.rint(x * LOG2E);
    float r = Math.fma(n, -LN2_HI, x);
    r = Math.fma(n, -LN2_LO, r);
    float p = 1.98412698e-4f;
    p = Math.fma(p, r, 1.38888889e-3f);
    p = Math.fma(p, r, 8.33333333e-3f);
    p = Math.fma(p, r, 4.16666667e-2f);
    p = Math.fma(p, r, 1.66666667e-1f);
    p = Math.fma(p, r, 0.5f);
    p = Math.fma(p, r, 1f);
    p = Math.fma(p, r, 1f);
    return p * Float.intBitsToFloat(((int) n + 127) << 23);
  }

  /** {@code erf(x)} (Abramowitz and Stegun 7.1.26 in double: absolute error below 1.5e-7). */
  static double erf(double x) {
    double t = 1.0 / (1.0 + 0.3275911 * Math.abs(x));
    double y =
        1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t
            + 0.254829592) * t * StrictMath.exp(-x * x);
    return x < 0 ? -y : y;
  }

  /** The MLP activation of one value. */
  static float apply(TransformerEncoder.Act act, float x) {
    switch (act) {
      case QUICK_GELU:
        return x / (1f + exp(-1.702f * x));
      case GELU:
        return (float) (0.5 * x * (1.0 + erf(x / Math.sqrt(2.0))));
      default:
        double inner = Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x);
        return (float) (0.5 * x * (1.0 + StrictMath.tanh(inner)));
    }
  }
}
