package org.ctx4j.core;

import com.google.common.base.Preconditions;

/**
 * An 8-bit RGB image: pixels interleaved {@code R, G, B}, rows top to bottom, no padding.
 *
 * <p>Ownership: {@link #of} wraps the given array and {@link #rgb()} returns that same array,
 * without copies (images are large and decoded once). The image is meant as an immutable view:
 * nobody may write to the array after handing it over. Safe to share between threads on that
 * premise.
 */
public final class RgbImage {
  private final int width;
  private final int height;
  private final byte[] rgb;

  private RgbImage(int width, int height, byte[] rgb) {
    this.width = width;
    this.height = height;
    this.rgb = rgb;
  }

  /**
   * Wraps {@code rgb} (not copied) as a {@code width × height} image.
   *
   * @throws IllegalArgumentException if a side is not positive or {@code rgb.length != 3·w·h}
   */
  public static RgbImage of(int width, int height, byte[] rgb) {
    Preconditions.checkArgument(
        width > 0 && height > 0, "image size must be positive, got %sx%s", width, height);
    long expected = 3L * width * height;
    Preconditions.checkArgument(
        rgb.length == expected,
        "rgb length (%s) != 3*%s*%s (%s)",
        rgb.length,
        width,
        height,
        expected);
    return new RgbImage(width, height, rgb);
  }

  /** Width in pixels. */
  public int width() {
    return width;
  }

  /** Height in pixels. */
  public int height() {
    return height;
  }

  /** The pixel array, {@code 3·width·height} bytes; the caller must not modify it (no copy). */
  public byte[] rgb() {
    return rgb;
  }

  @Override
  public String toString() {
    return "RgbImage[" + width + "x" + height + "]";
  }
}
