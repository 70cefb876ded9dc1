package org.ctx4j.clip.internal;

/**
 * IEEE 754 binary16 conversions (Java 17 has no {@code Float.float16ToFloat}). Rounding to half is
 * round-to-nearest-even, as numpy and torch do.
 */
final class HalfFloats {
  private HalfFloats() {}

  static float halfToFloat(short half) {
    int h = half & 0xffff;
    int sign = (h & 0x8000) << 16;
    int exponent = (h >>> 10) & 0x1f;
    int mantissa = h & 0x3ff;
    if (exponent == 0x1f) { // infinity or NaN
      return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
    }
    if (exponent == 0) {
      if (mantissa == 0) {
        return Float.intBitsToFloat(sign);
      }
      float subnormal = mantissa * 0x1p-24f; // exact: mantissa < 2^10
      return sign == 0 ? subnormal : -subnormal;
    }
    return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
  }

  static short floatToHalf(float value) {
    int bits = Float.floatToRawIntBits(value);
    int sign = (bits >>> 16) & 0x8000;
    int exponent = (bits >>> 23) & 0xff;
    int mantissa = bits & 0x7fffff;
    if (exponent == 0xff) { // infinity or NaN (keep NaN quiet and non-zero)
      return (short) (sign | 0x7c00 | (mantissa != 0 ? 0x200 : 0));
    }
    int e = exponent - 127 + 15;
    if (e >= 0x1f) {
      return (short) (sign | 0x7c00); // overflow to infinity
    }
    if (e <= 0) {
      if (e < -10) {
        return (short) sign; // underflows to zero
      }
      // Subnormal half: shift the mantissa (with its implicit one) into place, rounding to even.
      int m = mantissa | 0x800000;
      int shift = 14 - e;
      int halfMantissa = m >>> shift;
      int remainder = m & ((1 << shift) - 1);
      int halfway = 1 << (shift - 1);
      if (remainder > halfway || (remainder == halfway && (halfMantissa & 1) != 0)) {
        halfMantissa++;
      }
      return (short) (sign | halfMantissa);
    }
    int halfBits = (e << 10) | (mantissa >>> 13);
    int remainder = mantissa & 0x1fff;
    if (remainder > 0x1000 || (remainder == 0x1000 && (halfBits & 1) != 0)) {
      halfBits++; // may carry into the exponent, which is the right result (up to infinity)
    }
    return (short) (sign | halfBits);
  }
}
