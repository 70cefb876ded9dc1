package org.ctx4j.core;

import java.util.Locale;
import org.ctx4j.Ctx4jException;

/**
 * An image is too small for a crop strategy: one of its crops would be empty, which the original
 * Xmodal-Ctx code cannot process either (its resize divides by the empty side).
 */
public final class ImageTooSmallException extends Ctx4jException {
  private static final long serialVersionUID = 1L;

  private final int imageWidth;
  private final int imageHeight;
  private final CropStrategy strategy;

  ImageTooSmallException(int imageWidth, int imageHeight, CropStrategy strategy, int cropIndex) {
    super(
        String.format(
            Locale.ROOT,
            "image of %dx%d pixels is too small for %s crops: crop %d would be empty",
            imageWidth,
            imageHeight,
            strategy.key(),
            cropIndex));
    this.imageWidth = imageWidth;
    this.imageHeight = imageHeight;
    this.strategy = strategy;
  }

  /** Width of the offending image in pixels. */
  public int imageWidth() {
    return imageWidth;
  }

  /** Height of the offending image in pixels. */
  public int imageHeight() {
    return imageHeight;
  }

  /** The strategy whose crops do not fit. */
  public CropStrategy strategy() {
    return strategy;
  }
}
