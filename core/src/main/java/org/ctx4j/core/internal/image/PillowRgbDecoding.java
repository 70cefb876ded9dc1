package org.ctx4j.core.internal.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.awt.image.SampleModel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * ImageIO decoding followed by Pillow 9.4's {@code convert("RGB")} rules (see {@code
 * org.ctx4j.core.ImageDecoder} for the list). Reads samples straight from the decoded raster, never
 * through a colour model's colour conversion, so no colour profile or gamma is applied (Pillow
 * applies none either).
 */
public final class PillowRgbDecoding {
  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  private static final int PNG_GRAY = 0;

  /**
   * Pillow refuses images above {@code 2 * Image.MAX_IMAGE_PIXELS} (2 × 89,478,485) with {@code
   * DecompressionBombError}; we refuse them too, before allocating anything.
   */
  public static final long MAX_PIXELS = 2L * 89_478_485L;

  private PillowRgbDecoding() {}

  /**
   * Decoded pixels, interleaved RGB rows, 3 bytes per pixel (what the API's image type wraps).
   *
   * @param width width in pixels
   * @param height height in pixels
   * @param rgb {@code 3 * width * height} bytes
   */
  public record Pixels(int width, int height, byte[] rgb) {}

  /** A decoding failure with a reason fit for the user; the caller adds the file name. */
  public static final class DecodeFailure extends Exception {
    private static final long serialVersionUID = 1L;

    DecodeFailure(String reason, Throwable cause) {
      super(reason, cause);
    }
  }

  /** Decodes {@code bytes} (non-empty) to RGB. */
  public static Pixels decode(byte[] bytes) throws IOException, DecodeFailure {
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new DecodeFailure(
            "not an image in a supported format (" + describeStart(bytes) + ")", null);
      }
      ImageReader reader = readers.next();
      List<String> warnings = new ArrayList<>();
      try {
        reader.setInput(in, true, false);
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
        if (pixels > MAX_PIXELS) {
          throw new DecodeFailure(
              String.format(
                  java.util.Locale.ROOT,
                  "image of %dx%d pixels exceeds the limit of %d pixels (Pillow's"
                      + " DecompressionBombError threshold)",
                  reader.getWidth(0),
                  reader.getHeight(0),
                  MAX_PIXELS),
              null);
        }
        boolean jpeg = "jpeg".equalsIgnoreCase(reader.getFormatName());
        Pixels image;
        if (jpeg && isCmyk(reader)) {
          // The raw raster is what libjpeg decoded, before its YCCK -> CMYK step.
          boolean ycck = JpegAdobeMarker.transform(bytes) == JpegAdobeMarker.TRANSFORM_YCCK;
          image = cmykToRgb(reader.readRaster(0, null), ycck);
        } else {
          BufferedImage decoded = reader.read(0);
          image = toRgb(decoded, isPng16BitGray(bytes));
        }
        List<String> truncation =
            warnings.stream().filter(PillowRgbDecoding::meansTruncated).toList();
        if (!truncation.isEmpty()) {
          // Pillow refuses a file that ends early (LOAD_TRUNCATED_IMAGES is off), even when only
          // the JPEG EOI marker is missing; libjpeg's "Corrupt JPEG data" warnings it ignores.
          throw new DecodeFailure("truncated image data: " + String.join("; ", truncation), null);
        }
        return image;
      } finally {
        reader.dispose();
      }
    }
  }

  /** Warnings (TwelveMonkeys, libjpeg) that say the file ended early. */
  private static boolean meansTruncated(String warning) {
    String w = warning.toLowerCase(java.util.Locale.ROOT);
    return w.contains("truncated") || w.contains("premature end of jpeg file");
  }

  private static String describeStart(byte[] bytes) {
    StringBuilder sb = new StringBuilder("starts with");
    for (int i = 0; i < Math.min(8, bytes.length); i++) {
      sb.append(String.format(java.util.Locale.ROOT, " %02x", bytes[i] & 0xFF));
    }
    return sb.toString();
  }

  private static boolean isCmyk(ImageReader reader) throws IOException {
    ImageTypeSpecifier raw = reader.getRawImageType(0);
    return raw != null && raw.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_CMYK;
  }

  /** PNG colour type 0 with 16 bits: Pillow's mode {@code I}, whose RGB conversion clips to 255. */
  private static boolean isPng16BitGray(byte[] bytes) {
    if (bytes.length < 26) {
      return false;
    }
    for (int i = 0; i < PNG_SIGNATURE.length; i++) {
      if (bytes[i] != PNG_SIGNATURE[i]) {
        return false;
      }
    }
    // IHDR follows the signature: length(4) "IHDR"(4) width(4) height(4) depth(1) colour type(1).
    return bytes[24] == 16 && bytes[25] == PNG_GRAY;
  }

  /**
   * Pillow's JPEG CMYK: values inverted on load ({@code CMYK;I}, "assume adobe conventions",
   * unconditionally), then {@code cmyk2rgb}: {@code 255 - k - c·(255 - k)/255} with its rounding.
   */
  private static Pixels cmykToRgb(Raster raster, boolean ycck) throws DecodeFailure {
    if (raster.getNumBands() != 4) {
      throw new DecodeFailure("CMYK JPEG with " + raster.getNumBands() + " bands", null);
    }
    int width = raster.getWidth();
    int height = raster.getHeight();
    byte[] rgb = new byte[3 * width * height];
    int[] row = new int[4 * width];
    int o = 0;
    for (int y = 0; y < height; y++) {
      raster.getPixels(raster.getMinX(), raster.getMinY() + y, width, 1, row);
      if (ycck) {
        JpegAdobeMarker.ycckToCmyk(row, width);
      }
      for (int x = 0; x < width; x++) {
        int nk = row[4 * x + 3]; // 255 - inverted k
        for (int c = 0; c < 3; c++) {
          int ink = 255 - row[4 * x + c];
          rgb[o++] = (byte) clip8(nk - mulDiv255(ink, nk));
        }
      }
    }
    return new Pixels(width, height, rgb);
  }

  /** Pillow's {@code MULDIV255}: {@code a·b/255} rounded, in integers. */
  private static int mulDiv255(int a, int b) {
    int tmp = a * b + 128;
    return ((tmp >> 8) + tmp) >> 8;
  }

  private static int clip8(int v) {
    return v <= 0 ? 0 : Math.min(v, 255);
  }

  /** Pillow {@code convert("RGB")} of a decoded image. */
  static Pixels toRgb(BufferedImage image, boolean clipSixteenBitGray) throws DecodeFailure {
    int width = image.getWidth();
    int height = image.getHeight();
    Raster raster = image.getRaster();
    ColorModel model = image.getColorModel();
    byte[] rgb = new byte[3 * width * height];
    if (model instanceof IndexColorModel) {
      expandPalette((IndexColorModel) model, raster, rgb);
      return new Pixels(width, height, rgb);
    }
    int colorType = model.getColorSpace().getType();
    boolean gray = colorType == ColorSpace.TYPE_GRAY;
    if (!gray && colorType != ColorSpace.TYPE_RGB) {
      throw new DecodeFailure("unsupported colour space type " + colorType, null);
    }
    int bits = raster.getSampleModel().getSampleSize(0);
    if (bits == 8 && copyInterleavedBytes(raster, gray, rgb)) {
      return new Pixels(width, height, rgb);
    }
    if (bits != 8 && bits != 16) {
      throw new DecodeFailure("unsupported sample size " + bits + " bits", null);
    }
    int bands = raster.getNumBands();
    int[] row = new int[bands * width];
    int o = 0;
    for (int y = 0; y < height; y++) {
      raster.getPixels(raster.getMinX(), raster.getMinY() + y, width, 1, row);
      for (int x = 0; x < width; x++) {
        int p = x * bands;
        if (gray) {
          int v = sixteenTo8(row[p], bits, clipSixteenBitGray);
          rgb[o++] = (byte) v;
          rgb[o++] = (byte) v;
          rgb[o++] = (byte) v;
        } else {
          rgb[o++] = (byte) sixteenTo8(row[p], bits, false);
          rgb[o++] = (byte) sixteenTo8(row[p + 1], bits, false);
          rgb[o++] = (byte) sixteenTo8(row[p + 2], bits, false);
        }
      }
    }
    return new Pixels(width, height, rgb);
  }

  /**
   * 16-bit samples: Pillow keeps the high byte ({@code ;16B} unpackers), or clips mode {@code I}.
   */
  private static int sixteenTo8(int v, int bits, boolean clip) {
    if (bits == 8) {
      return v;
    }
    return clip ? Math.min(v, 255) : v >>> 8;
  }

  private static void expandPalette(IndexColorModel palette, Raster raster, byte[] rgb) {
    int size = palette.getMapSize();
    byte[] reds = new byte[size];
    byte[] greens = new byte[size];
    byte[] blues = new byte[size];
    palette.getReds(reds);
    palette.getGreens(greens);
    palette.getBlues(blues);
    int width = raster.getWidth();
    int[] row = new int[width];
    int o = 0;
    for (int y = 0; y < raster.getHeight(); y++) {
      raster.getSamples(raster.getMinX(), raster.getMinY() + y, width, 1, 0, row);
      for (int x = 0; x < width; x++) {
        int i = Math.min(row[x], size - 1);
        rgb[o++] = reds[i];
        rgb[o++] = greens[i];
        rgb[o++] = blues[i];
      }
    }
  }

  /** Fast path for 8-bit pixel-interleaved byte rasters (JPEG's BGR, PNG's RGB/RGBA/gray). */
  private static boolean copyInterleavedBytes(Raster raster, boolean gray, byte[] rgb) {
    SampleModel sm = raster.getSampleModel();
    if (!(sm instanceof PixelInterleavedSampleModel)
        || !(raster.getDataBuffer() instanceof DataBufferByte)
        || raster.getDataBuffer().getNumBanks() != 1) {
      return false;
    }
    PixelInterleavedSampleModel pism = (PixelInterleavedSampleModel) sm;
    byte[] data = ((DataBufferByte) raster.getDataBuffer()).getData();
    int pixelStride = pism.getPixelStride();
    int scanline = pism.getScanlineStride();
    int[] offsets = pism.getBandOffsets();
    int base =
        raster.getDataBuffer().getOffset()
            - raster.getSampleModelTranslateY() * scanline
            - raster.getSampleModelTranslateX() * pixelStride;
    int r = offsets[0];
    int g = gray ? offsets[0] : offsets[1];
    int b = gray ? offsets[0] : offsets[2];
    int width = raster.getWidth();
    int o = 0;
    for (int y = 0; y < raster.getHeight(); y++) {
      int p = base + y * scanline;
      for (int x = 0; x < width; x++, p += pixelStride) {
        rgb[o++] = data[p + r];
        rgb[o++] = data[p + g];
        rgb[o++] = data[p + b];
      }
    }
    return true;
  }
}
