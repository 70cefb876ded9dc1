package org.ctx4j.core;

import com.google.common.base.Preconditions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.ctx4j.ImageTooSmallException;

/**
 * The three query views of an image used for textual context, in the order and with the geometry of
 * the original Xmodal-Ctx code.
 */
public enum CropStrategy {
  /** The whole image: one view. */
  WHOLE("whole", 1),
  /** torchvision {@code five_crop} at 0.6 of each side: TL, TR, BL, BR, center. */
  FIVE("five", 5),
  /** A 3×3 grid of overlapping crops at 0.4 of each side, row-major. */
  NINE("nine", 9);

  private final String key;
  private final int count;

  CropStrategy(String key, int count) {
    this.key = key;
    this.count = count;
  }

  /** The HDF5 group name: {@code "whole"}, {@code "five"} or {@code "nine"}. */
  public String key() {
    return key;
  }

  /** How many crops this strategy yields: 1, 5 or 9. */
  public int count() {
    return count;
  }

  /**
   * The crop boxes of an image of the given size, in the original's order, exactly as Pillow crops
   * them in the original code (see {@code docs/preprocessing.md}).
   *
   * <p>{@link #FIVE} is torchvision's {@code five_crop} with the crop size {@code (h*0.6, w*0.6)}
   * kept as floats; Pillow rounds each box coordinate half-to-even, so the five boxes need not have
   * equal sizes. {@link #NINE} is the original's 3×3 grid: row starts {@code 0, int(0.3h),
   * int(0.6h)}, row ends {@code int(0.4h), int(0.7h), h}, columns alike, row-major. Every box lies
   * inside the image.
   *
   * @throws IllegalArgumentException if a side is not positive
   * @throws ImageTooSmallException if a crop would be empty (for {@link #NINE}: a side below 3
   *     pixels); the original cannot preprocess an empty crop either
   */
  public List<CropBox> boxes(int width, int height) {
    Preconditions.checkArgument(
        width > 0 && height > 0, "image size must be positive, got %sx%s", width, height);
    switch (this) {
      case WHOLE:
        return List.of(CropBox.whole(width, height));
      case FIVE:
        return fiveCrop(width, height);
      case NINE:
        return nineCrop(width, height);
      default:
        throw new AssertionError(this);
    }
  }

  /** Xmodal-Ctx {@code five_crop(image, ratio=0.6)}: torchvision TL, TR, BL, BR, center. */
  private static List<CropBox> fiveCrop(int width, int height) {
    double ratio = 0.6;
    double cropHeight = height * ratio;
    double cropWidth = width * ratio;
    double right = width - cropWidth;
    double lower = height - cropHeight;
    // torchvision center_crop: int(round((H - h) / 2.0)), Python round is half-to-even.
    int centerTop = (int) Math.rint((height - cropHeight) / 2.0);
    int centerLeft = (int) Math.rint((width - cropWidth) / 2.0);
    List<CropBox> boxes = new ArrayList<>(5);
    addPilCrop(boxes, width, height, FIVE, 0, 0, cropWidth, cropHeight);
    addPilCrop(boxes, width, height, FIVE, right, 0, right + cropWidth, cropHeight);
    addPilCrop(boxes, width, height, FIVE, 0, lower, cropWidth, lower + cropHeight);
    addPilCrop(boxes, width, height, FIVE, right, lower, right + cropWidth, lower + cropHeight);
    addPilCrop(
        boxes,
        width,
        height,
        FIVE,
        centerLeft,
        centerTop,
        centerLeft + cropWidth,
        centerTop + cropHeight);
    return List.copyOf(boxes);
  }

  /** Xmodal-Ctx {@code nine_crop(image, ratio=0.4)}: a 3×3 grid, row-major. */
  private static List<CropBox> nineCrop(int width, int height) {
    double ratio = 0.4;
    int[] tops = {0, (int) ((0.5 - ratio / 2) * height), (int) ((1.0 - ratio) * height)};
    int[] bottoms = {(int) (ratio * height), (int) ((0.5 + ratio / 2) * height), height};
    int[] lefts = {0, (int) ((0.5 - ratio / 2) * width), (int) ((1.0 - ratio) * width)};
    int[] rights = {(int) (ratio * width), (int) ((0.5 + ratio / 2) * width), width};
    List<CropBox> boxes = new ArrayList<>(9);
    for (int row = 0; row < 3; row++) {
      for (int col = 0; col < 3; col++) {
        addPilCrop(boxes, width, height, NINE, lefts[col], tops[row], rights[col], bottoms[row]);
      }
    }
    return List.copyOf(boxes);
  }

  /** Pillow's {@code Image.crop}: each coordinate becomes {@code int(round(c))}, half-to-even. */
  private static void addPilCrop(
      List<CropBox> boxes,
      int width,
      int height,
      CropStrategy strategy,
      double left,
      double top,
      double right,
      double bottom) {
    int x0 = (int) Math.rint(left);
    int y0 = (int) Math.rint(top);
    int x1 = (int) Math.rint(right);
    int y1 = (int) Math.rint(bottom);
    if (x1 <= x0 || y1 <= y0) {
      throw new ImageTooSmallException(width, height, strategy.key(), boxes.size());
    }
    boxes.add(new CropBox(x0, y0, x1 - x0, y1 - y0));
  }

  /**
   * The strategy with the given key.
   *
   * @throws IllegalArgumentException naming the valid keys when {@code key} is not one of them
   */
  public static CropStrategy fromKey(String key) {
    for (CropStrategy s : values()) {
      if (s.key.equals(key)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        String.format(
            Locale.ROOT,
            "unknown crop '%s': expected one of %s",
            key,
            Arrays.stream(values()).map(CropStrategy::key).collect(Collectors.joining(", "))));
  }
}
