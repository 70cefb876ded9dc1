package org.ctx4j.core;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

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
   * The crop boxes of an image of the given size, in the original's order.
   *
   * @throws IllegalArgumentException if a side is not positive
   */
  public List<CropBox> boxes(int width, int height) {
    throw new UnsupportedOperationException("not implemented yet");
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
