package org.ctx4j.core.internal.image;

/**
 * Pillow 9.4 {@code Image.crop(box).resize((w, h), BICUBIC).crop(window)} on 8-bit RGB, bit-exact,
 * computing only the pixels the final window keeps.
 *
 * <p>Pillow resizes in two separable passes, horizontal first, each with fixed-point weights
 * ({@link BicubicAxis}) and an 8-bit clipped intermediate; a pass is skipped when its axis keeps
 * its size. Every output pixel depends only on its own weights, so restricting both passes to the
 * window (and the horizontal pass to the rows the vertical pass reads) gives the same values as
 * resizing everything and cropping afterwards. Pixels outside the source image (a crop box reaching
 * outside) and outside the resized image (a window larger than it) are black, as Pillow's crop
 * pads.
 *
 * <p>Stateless and thread-safe; allocates only the intermediate rows.
 */
public final class PillowResizer {
  private PillowResizer() {}

  /**
   * Crops {@code box} out of {@code src} ({@code srcWidth × srcHeight}, interleaved RGB), resizes
   * it to {@code resizedWidth × resizedHeight} and writes the {@code windowSize²} window whose
   * top-left corner is {@code (windowLeft, windowTop)} in resized coordinates to {@code out},
   * interleaved RGB.
   */
  public static void cropResizeWindow(
      byte[] src,
      int srcWidth,
      int srcHeight,
      int boxLeft,
      int boxTop,
      int boxWidth,
      int boxHeight,
      int resizedWidth,
      int resizedHeight,
      int windowLeft,
      int windowTop,
      int windowSize,
      byte[] out) {
    java.util.Arrays.fill(out, 0, windowSize * windowSize * 3, (byte) 0);
    int x0 = Math.max(windowLeft, 0);
    int x1 = Math.min(windowLeft + windowSize, resizedWidth);
    int y0 = Math.max(windowTop, 0);
    int y1 = Math.min(windowTop + windowSize, resizedHeight);
    if (x0 >= x1 || y0 >= y1) {
      return;
    }
    // The crop as a region of a source array: the image itself when the box lies inside it,
    // otherwise a zero-padded copy (what Pillow's crop produces).
    byte[] region = src;
    int regionStride = srcWidth * 3;
    int regionOffset = (boxTop * srcWidth + boxLeft) * 3;
    boolean inside =
        boxLeft >= 0
            && boxTop >= 0
            && boxLeft + boxWidth <= srcWidth
            && boxTop + boxHeight <= srcHeight;
    if (!inside) {
      region = paddedCrop(src, srcWidth, srcHeight, boxLeft, boxTop, boxWidth, boxHeight);
      regionStride = boxWidth * 3;
      regionOffset = 0;
    }

    boolean needHorizontal = resizedWidth != boxWidth;
    boolean needVertical = resizedHeight != boxHeight;
    BicubicAxis rows = needVertical ? BicubicAxis.of(boxHeight, resizedHeight, y0, y1) : null;
    int firstRow = needVertical ? rows.start(y0) : y0;
    int lastRow = needVertical ? rows.start(y1 - 1) + rows.count(y1 - 1) : y1;
    int columns = x1 - x0;
    int tmpStride = columns * 3;

    // Horizontal pass (or a plain copy of the needed columns): rows [firstRow, lastRow).
    byte[] tmp = new byte[(lastRow - firstRow) * tmpStride];
    if (needHorizontal) {
      horizontal(
          region,
          regionOffset + firstRow * regionStride,
          regionStride,
          lastRow - firstRow,
          BicubicAxis.of(boxWidth, resizedWidth, x0, x1),
          x0,
          x1,
          tmp);
    } else {
      for (int r = firstRow; r < lastRow; r++) {
        System.arraycopy(
            region,
            regionOffset + r * regionStride + x0 * 3,
            tmp,
            (r - firstRow) * tmpStride,
            tmpStride);
      }
    }

    int outStride = windowSize * 3;
    int outColumn = (x0 - windowLeft) * 3;
    if (needVertical) {
      vertical(
          tmp,
          tmpStride,
          firstRow,
          rows,
          y0,
          y1,
          out,
          (y0 - windowTop) * outStride + outColumn,
          outStride);
    } else {
      for (int y = y0; y < y1; y++) {
        System.arraycopy(
            tmp,
            (y - firstRow) * tmpStride,
            out,
            (y - windowTop) * outStride + outColumn,
            tmpStride);
      }
    }
  }

  private static byte[] paddedCrop(
      byte[] src, int srcWidth, int srcHeight, int left, int top, int width, int height) {
    byte[] padded = new byte[width * height * 3];
    int xa = Math.max(left, 0);
    int xb = Math.min(left + width, srcWidth);
    if (xa >= xb) {
      return padded;
    }
    for (int y = Math.max(top, 0); y < Math.min(top + height, srcHeight); y++) {
      System.arraycopy(
          src,
          (y * srcWidth + xa) * 3,
          padded,
          ((y - top) * width + (xa - left)) * 3,
          (xb - xa) * 3);
    }
    return padded;
  }

  /** ImagingResampleHorizontal_8bpc, 3 bands, for output columns {@code [x0, x1)}. */
  private static void horizontal(
      byte[] in,
      int inOffset,
      int inStride,
      int rowCount,
      BicubicAxis axis,
      int x0,
      int x1,
      byte[] tmp) {
    int[] weights = axis.weights();
    int t = 0;
    for (int r = 0; r < rowCount; r++) {
      int rowOffset = inOffset + r * inStride;
      for (int x = x0; x < x1; x++) {
        int s = rowOffset + axis.start(x) * 3;
        int w = axis.weightOffset(x);
        int end = w + axis.count(x);
        int a0 = BicubicAxis.HALF;
        int a1 = BicubicAxis.HALF;
        int a2 = BicubicAxis.HALF;
        for (; w < end; w++, s += 3) {
          int k = weights[w];
          a0 += (in[s] & 0xFF) * k;
          a1 += (in[s + 1] & 0xFF) * k;
          a2 += (in[s + 2] & 0xFF) * k;
        }
        tmp[t] = (byte) BicubicAxis.clip8(a0);
        tmp[t + 1] = (byte) BicubicAxis.clip8(a1);
        tmp[t + 2] = (byte) BicubicAxis.clip8(a2);
        t += 3;
      }
    }
  }

  /**
   * ImagingResampleVertical_8bpc for output rows {@code [y0, y1)}; row-at-a-time accumulation over
   * whole rows (the same integer sums in another order, which the JIT vectorises).
   */
  private static void vertical(
      byte[] tmp,
      int stride,
      int firstRow,
      BicubicAxis axis,
      int y0,
      int y1,
      byte[] out,
      int outOffset,
      int outStride) {
    int[] weights = axis.weights();
    int[] acc = new int[stride];
    for (int y = y0; y < y1; y++) {
      java.util.Arrays.fill(acc, BicubicAxis.HALF);
      int w = axis.weightOffset(y);
      int rowOffset = (axis.start(y) - firstRow) * stride;
      for (int j = 0, n = axis.count(y); j < n; j++, rowOffset += stride) {
        int k = weights[w + j];
        for (int i = 0; i < stride; i++) {
          acc[i] += (tmp[rowOffset + i] & 0xFF) * k;
        }
      }
      int o = outOffset + (y - y0) * outStride;
      for (int i = 0; i < stride; i++) {
        out[o + i] = (byte) BicubicAxis.clip8(acc[i]);
      }
    }
  }
}
