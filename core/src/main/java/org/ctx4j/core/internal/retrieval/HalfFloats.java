package org.ctx4j.core.internal.retrieval;

/**
 * Conversions between float32 and the two 16-bit formats, rounding to nearest even. Java 17 has no
 * {@code Float.floatToFloat16}; widening binary16 goes through a 65,536-entry table (256 KB, built
 * on first use), which is exact and branch-free in the panel expansion loop.
 */
public final class HalfFloats {
  private HalfFloats() {}

  /** Largest finite binary16 value. */
  public static final float MAX_FLOAT16 = 65504f;

  private static final class Table {
    static final float[] FLOAT16_TO_FLOAT = build();

    private static float[] build() {
      float[] table = new float[1 << 16];
      for (int h = 0; h < table.length; h++) {
        table[h] = decodeFloat16(h);
      }
      return table;
    }
  }

  /** Exact float32 value of binary16 bits {@code h} (low 16 bits used). */
  public static float float16ToFloat(short h) {
    return Table.FLOAT16_TO_FLOAT[h & 0xffff];
  }

  static float[] float16Table() {
    return Table.FLOAT16_TO_FLOAT;
  }

  private static float decodeFloat16(int h) {
    int sign = (h >>> 15) & 1;
    int exponent = (h >>> 10) & 0x1f;
    int mantissa = h & 0x3ff;
    float magnitude;
    if (exponent == 0) {
      magnitude = mantissa * 0x1p-24f; // subnormal: mantissa * 2^-24, exact in float32
    } else if (exponent == 0x1f) {
      magnitude = mantissa == 0 ? Float.POSITIVE_INFINITY : Float.NaN;
    } else {
      magnitude = Float.intBitsToFloat(((exponent - 15 + 127) << 23) | (mantissa << 13));
    }
    return sign == 0 ? magnitude : -magnitude;
  }

  /**
   * binary16 bits nearest to finite {@code f} (ties to even); magnitudes above 65504 round to
   * infinity, as IEEE does — callers check {@link #MAX_FLOAT16} first.
   */
  public static short floatToFloat16(float f) {
    int bits = Float.floatToRawIntBits(f);
    int sign = (bits >>> 16) & 0x8000;
    float abs = Math.abs(f);
    if (abs >= 65520f) { // rounds to infinity
      return (short) (sign | 0x7c00);
    }
    if (abs < 0x1p-14f) {
      // Subnormal range: the result is round(abs / 2^-24) as an integer mantissa. Scaling by a
      // power of two is exact; Math.rint rounds half to even.
      int mantissa = (int) Math.rint(abs * 0x1p24f);
      return (short) (sign | mantissa); // mantissa 1024 carries into the smallest normal, correctly
    }
    int absBits = bits & 0x7fffffff;
    int exponent = (absBits >>> 23) - 127 + 15;
    int mantissa = absBits & 0x7fffff;
    int half = (exponent << 10) | (mantissa >>> 13);
    int rest = mantissa & 0x1fff;
    if (rest > 0x1000 || (rest == 0x1000 && (half & 1) != 0)) {
      half++; // may carry into the exponent: still the correctly rounded value
    }
    return (short) (sign | half);
  }

  /** bfloat16 bits nearest to finite {@code f} (ties to even). */
  public static short floatToBfloat16(float f) {
    int bits = Float.floatToRawIntBits(f);
    int rounded = bits + 0x7fff + ((bits >>> 16) & 1);
    return (short) (rounded >>> 16);
  }

  /** Exact float32 value of bfloat16 bits {@code b}. */
  public static float bfloat16ToFloat(short b) {
    return Float.intBitsToFloat((b & 0xffff) << 16);
  }
}
