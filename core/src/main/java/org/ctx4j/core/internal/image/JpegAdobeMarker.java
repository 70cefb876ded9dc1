package org.ctx4j.core.internal.image;

/**
 * The Adobe APP14 marker of a JPEG file (its colour transform) and libjpeg's YCCK → CMYK
 * conversion, which ImageIO's raw raster read leaves undone but Pillow's libjpeg performs.
 */
final class JpegAdobeMarker {
  /** No APP14 Adobe marker before the first scan. */
  static final int NONE = -1;

  /** Adobe transform 2: the first three components are YCbCr of an inverted CMY. */
  static final int TRANSFORM_YCCK = 2;

  private static final int SCALE_BITS = 16;
  private static final int ONE_HALF = 1 << (SCALE_BITS - 1);
  private static final int[] CR_R = new int[256];
  private static final int[] CB_B = new int[256];
  private static final int[] CR_G = new int[256];
  private static final int[] CB_G = new int[256];

  static {
    // libjpeg jdcolor.c build_ycc_rgb_table, identical in libjpeg-turbo.
    for (int i = 0; i < 256; i++) {
      int x = i - 128;
      CR_R[i] = (fix(1.40200) * x + ONE_HALF) >> SCALE_BITS;
      CB_B[i] = (fix(1.77200) * x + ONE_HALF) >> SCALE_BITS;
      CR_G[i] = -fix(0.71414) * x;
      CB_G[i] = -fix(0.34414) * x + ONE_HALF;
    }
  }

  private JpegAdobeMarker() {}

  private static int fix(double v) {
    return (int) (v * (1L << SCALE_BITS) + 0.5);
  }

  /**
   * The transform byte of the first APP14 "Adobe" segment before the first scan, or {@link #NONE}.
   */
  static int transform(byte[] jpeg) {
    int at = 2; // after SOI
    while (at + 4 <= jpeg.length && (jpeg[at] & 0xFF) == 0xFF) {
      int marker = jpeg[at + 1] & 0xFF;
      if (marker == 0xFF) {
        at++; // fill byte
        continue;
      }
      if (marker == 0xDA || marker == 0xD9) {
        return NONE; // start of scan / end of image
      }
      int length = (jpeg[at + 2] & 0xFF) << 8 | (jpeg[at + 3] & 0xFF);
      if (marker == 0xEE
          && length >= 12
          && at + 4 + 11 < jpeg.length
          && jpeg[at + 4] == 'A'
          && jpeg[at + 5] == 'd'
          && jpeg[at + 6] == 'o'
          && jpeg[at + 7] == 'b'
          && jpeg[at + 8] == 'e') {
        return jpeg[at + 4 + 11] & 0xFF;
      }
      at += 2 + length;
    }
    return NONE;
  }

  /** libjpeg {@code ycck_cmyk_convert} in place on one row of {@code width} 4-sample pixels. */
  static void ycckToCmyk(int[] row, int width) {
    for (int x = 0, p = 0; x < width; x++, p += 4) {
      int y = row[p];
      int cb = row[p + 1];
      int cr = row[p + 2];
      row[p] = clamp(255 - (y + CR_R[cr]));
      row[p + 1] = clamp(255 - (y + ((CB_G[cb] + CR_G[cr]) >> SCALE_BITS)));
      row[p + 2] = clamp(255 - (y + CB_B[cb]));
    }
  }

  private static int clamp(int v) {
    return v < 0 ? 0 : Math.min(v, 255);
  }
}
