package org.ctx4j;

import java.util.Locale;

/**
 * An image is too small for a crop strategy: one of its crops would be empty, which the original
 * Xmodal-Ctx code cannot process either (its resize divides by the empty side).
 */
public final class ImageTooSmallException extends Ctx4jException {
  private static final long serialVersionUID = 1L;

  private final int imageWidth;
  private final int imageHeight;
  private final String crop;

  /**
   * @param crop the crop strategy's name ({@code "five"}, {@code "nine"})
   * @param cropIndex the first crop that would be empty
   */
  public ImageTooSmallException(int imageWidth, int imageHeight, String crop, int cropIndex) {
    super(
        String.format(
            Locale.ROOT,
            "image of %dx%d pixels is too small for %s crops: crop %d would be empty",
            imageWidth,
            imageHeight,
            crop,
            cropIndex));
    this.imageWidth = imageWidth;
    this.imageHeight = imageHeight;
    this.crop = crop;
  }

  /** Width of the offending image in pixels. */
  public int imageWidth() {
    return imageWidth;
  }

  /** Height of the offending image in pixels. */
  public int imageHeight() {
    return imageHeight;
  }

  /** The name of the crop strategy whose crops do not fit ({@code "five"}, {@code "nine"}). */
  public String crop() {
    return crop;
  }
}
