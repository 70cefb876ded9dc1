package org.ctx4j.core;

import com.google.common.base.Preconditions;

/**
 * A crop rectangle in pixel coordinates of the source image: {@code left, top} is the first pixel,
 * {@code width × height} the size. A box may reach outside the image; {@link ClipPreprocessor} then
 * fills the outside with black, as Pillow's {@code Image.crop} does.
 *
 * @param left first column
 * @param top first row
 * @param width columns, positive
 * @param height rows, positive
 */
public record CropBox(int left, int top, int width, int height) {

  /**
   * A box.
   *
   * @throws IllegalArgumentException if {@code width} or {@code height} is not positive
   */
  public CropBox {
    Preconditions.checkArgument(
        width > 0 && height > 0, "crop size must be positive, got %sx%s", width, height);
  }

  /** The box covering a whole {@code width × height} image. */
  public static CropBox whole(int width, int height) {
    return new CropBox(0, 0, width, height);
  }

  /** One past the last column: {@code left + width}. */
  public int right() {
    return left + width;
  }

  /** One past the last row: {@code top + height}. */
  public int bottom() {
    return top + height;
  }
}
