package org.ctx4j.core.retrieval;

/**
 * How an exact index stores its keys. Scores are always accumulated in float32: half-precision keys
 * are widened exactly to float32 block by block before they are multiplied, so they halve the key
 * memory (and the bandwidth to read it) at the cost of rounding each key component once, when the
 * index is built.
 */
public enum KeyPrecision {
  /** IEEE float32, as given: scores equal a float32 computation on the original keys. */
  FLOAT32,
  /**
   * IEEE binary16 (10-bit mantissa, round to nearest even). Rejects keys with a component whose
   * magnitude exceeds 65504 (binary16 overflow); CLIP keys are L2-normalised, far below.
   */
  FLOAT16,
  /** bfloat16 (the top 16 bits of a float32, round to nearest even): float32 range, 7-bit mantissa. */
  BFLOAT16
}
