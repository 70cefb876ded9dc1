package org.ctx4j.clip.internal;

/**
 * Scalar float functions of the Java CPU route, written with {@link Math#fma} and exact bit
 * manipulation only, so they give the same bits on every JVM and in interpreted and compiled code
 * (unlike {@code Math.exp}, which may use a platform intrinsic).
 */
final class Activations {
  private Activations() {}

  static final float LOG2E = 1.44269504f;
  static final float LN2_HI = 0.693145751953125f;
  static final float LN2_LO = 1.428606765330187e-6f;

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

  /** Adding and subtracting it rounds a float of magnitude below 2^22 to an integer (ties even). */
  static final float ROUNDER = 0x1.8p23f;

  /** Coefficients of {@link #expClamped}'s polynomial, highest degree first. */
  static final float[] EXP_POLY = {
    1.98412698e-4f, 1.38888889e-3f, 8.33333333e-3f, 4.16666667e-2f, 1.66666667e-1f, 0.5f, 1f, 1f
  };

  /**
   * {@code e^x} for {@code x} clamped to {@code [-87, 88]}, by the operation sequence that {@code
   * VectorGemmKernel.quickGelu} runs on each lane (same roundings, hence the same bits).
   */
  static float expClamped(float x) {
    float z = Math.min(Math.max(x, -87f), 88f);
    float n = (z * LOG2E + ROUNDER) - ROUNDER;
    float r = Math.fma(n, -LN2_HI, z);
    r = Math.fma(n, -LN2_LO, r);
    float p = EXP_POLY[0];
    for (int i = 1; i < EXP_POLY.length; i++) {
      p = Math.fma(p, r, EXP_POLY[i]);
    }
    return p * Float.intBitsToFloat(((int) n + 127) << 23);
  }

  /** quick_gelu: {@code x * sigmoid(1.702 x) = x / (1 + e^(-1.702 x))}. */
  static float quickGelu(float x) {
    return x / (1f + expClamped(x * -1.702f));
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
        return quickGelu(x);
      case GELU:
        return (float) (0.5 * x * (1.0 + erf(x / Math.sqrt(2.0))));
      default:
        double inner = Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x);
        return (float) (0.5 * x * (1.0 + StrictMath.tanh(inner)));
    }
  }
}
