package org.ctx4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.ctx4j.ImageDecodeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Golden: {@code golden/decode/make_golden.py} (Pillow 9.4 {@code convert("RGB")}). */
class ImageDecoderTest {
  private static final String DIR = "/golden/decode/";

  /**
   * Measured: 0 (bit-exact) on every golden JPEG; ImageIO's libjpeg (IJG 6b or the system's
   * libjpeg-turbo, which decodes identically) and Pillow's libjpeg-turbo agree. The allowance is
   * the same as for preprocessing (1/255 on at most 0.1% of values) to tolerate other JDK builds;
   * see docs/preprocessing.md.
   */
  private static final int JPEG_MAX_ABS_DIFF = 1;

  private static final double JPEG_MAX_DIFFERING_FRACTION = 0.001;

  private static List<String[]> files(String kind) {
    return GoldenFiles.csv(DIR + "files.csv").stream().filter(r -> r[3].equals(kind)).toList();
  }

  @Test
  void pngDecodesBitExactlyLikePillowInEveryMode() {
    List<String[]> pngs = files("png");
    assertThat(pngs).hasSizeGreaterThanOrEqualTo(15);
    for (String[] row : pngs) {
      RgbImage image = ImageDecoder.decode(GoldenFiles.path(DIR + row[0]));
      assertThat(image.width()).as(row[0]).isEqualTo(Integer.parseInt(row[1]));
      assertThat(image.height()).as(row[0]).isEqualTo(Integer.parseInt(row[2]));
      assertThat(image.rgb())
          .as("%s (Pillow mode %s)", row[0], row[4])
          .isEqualTo(GoldenFiles.gunzip(DIR + row[0] + ".rgb.gz"));
    }
  }

  @Test
  void jpegDecodesCloseToPillowIncludingProgressiveGrayAndCmyk() {
    for (String[] row : files("jpeg")) {
      RgbImage image = ImageDecoder.decode(GoldenFiles.path(DIR + row[0]));
      byte[] expected = GoldenFiles.gunzip(DIR + row[0] + ".rgb.gz");
      assertThat(image.rgb()).as(row[0]).hasSameSizeAs(expected);
      int maxDiff = 0;
      int differing = 0;
      for (int i = 0; i < expected.length; i++) {
        int d = Math.abs((image.rgb()[i] & 0xFF) - (expected[i] & 0xFF));
        maxDiff = Math.max(maxDiff, d);
        differing += d == 0 ? 0 : 1;
      }
      double fraction = differing / (double) expected.length;
      System.out.printf(
          Locale.ROOT,
          "%s (%s): max |diff| %d, differing %.4f%n",
          row[0],
          row[4],
          maxDiff,
          fraction);
      assertThat(maxDiff).as(row[0]).isLessThanOrEqualTo(JPEG_MAX_ABS_DIFF);
      assertThat(fraction).as(row[0]).isLessThanOrEqualTo(JPEG_MAX_DIFFERING_FRACTION);
    }
  }

  @Test
  void truncatedJpegSaysSo() {
    Path file = GoldenFiles.path(DIR + "broken_no_eoi.jpg");
    assertThatThrownBy(() -> ImageDecoder.decode(file))
        .hasMessage(
            "cannot decode image "
                + file
                + ": truncated image data: Truncated File - Missing EOI marker");
  }

  @Test
  void refusesDecompressionBombsBeforeAllocatingLikePillow() throws IOException {
    // A PNG header claiming 20000x10000 pixels (> 2 * Pillow's MAX_IMAGE_PIXELS) and no data.
    java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
    png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(17);
    ihdr.put("IHDR".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    ihdr.putInt(20000).putInt(10000).put((byte) 8).put((byte) 2).put(new byte[3]);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(ihdr.array());
    png.write(java.nio.ByteBuffer.allocate(4).putInt(13).array());
    png.write(ihdr.array());
    png.write(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    assertThatThrownBy(() -> ImageDecoder.decode(png.toByteArray(), "bomb.png"))
        .isInstanceOf(ImageDecodeException.class)
        .hasMessage(
            "cannot decode image bomb.png: image of 20000x10000 pixels exceeds the limit of"
                + " 178956970 pixels (Pillow's DecompressionBombError threshold)");
  }

  @Test
  void missingFileNamesTheFile(@TempDir Path dir) {
    Path missing = dir.resolve("nope.jpg");
    assertThatThrownBy(() -> ImageDecoder.decode(missing))
        .isInstanceOf(ImageDecodeException.class)
        .hasMessage("cannot decode image " + missing + ": no such file")
        .extracting(e -> ((ImageDecodeException) e).source())
        .isEqualTo(missing.toString());
  }

  @Test
  void brokenFilesFailNamingTheFile() {
    for (String name :
        List.of(
            "broken_empty.jpg",
            "broken_text.jpg",
            "broken_truncated.jpg",
            "broken_truncated.png",
            "broken_header_only.jpg",
            "broken_no_eoi.jpg")) {
      Path file = GoldenFiles.path(DIR + name);
      assertThatThrownBy(() -> ImageDecoder.decode(file))
          .as(name)
          .isInstanceOf(ImageDecodeException.class)
          .hasMessageStartingWith("cannot decode image " + file + ": ");
    }
  }

  @Test
  void notAnImageSaysWhatItStartsWith() {
    assertThatThrownBy(
            () ->
                ImageDecoder.decode(
                    "hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII), "x.jpg"))
        .isInstanceOf(ImageDecodeException.class)
        .hasMessage(
            "cannot decode image x.jpg: not an image in a supported format (starts with 68 65 6c 6c"
                + " 6f)");
  }

  @Test
  void otherImageIoFormatsFollowTheSameRules(@TempDir Path dir) throws IOException {
    // No Pillow golden: BMP (24-bit) and GIF (palette; ImageIO's writer quantises the colours)
    // written by ImageIO; the RGB must equal ImageIO's own reading of the file.
    java.awt.image.BufferedImage rgb =
        new java.awt.image.BufferedImage(5, 3, java.awt.image.BufferedImage.TYPE_3BYTE_BGR);
    for (int y = 0; y < 3; y++) {
      for (int x = 0; x < 5; x++) {
        rgb.setRGB(x, y, (x * 50) << 16 | (y * 100) << 8 | (x + y) * 20);
      }
    }
    for (String format : List.of("bmp", "gif")) {
      Path file = dir.resolve("img." + format);
      assertThat(javax.imageio.ImageIO.write(rgb, format, file.toFile())).isTrue();
      RgbImage image = ImageDecoder.decode(file);
      java.awt.image.BufferedImage expected = javax.imageio.ImageIO.read(file.toFile());
      assertThat(image.width()).isEqualTo(5);
      for (int y = 0; y < 3; y++) {
        for (int x = 0; x < 5; x++) {
          int p = (y * 5 + x) * 3;
          int decoded =
              (image.rgb()[p] & 0xFF) << 16
                  | (image.rgb()[p + 1] & 0xFF) << 8
                  | image.rgb()[p + 2] & 0xFF;
          assertThat(decoded)
              .as("%s (%d,%d)", format, x, y)
              .isEqualTo(expected.getRGB(x, y) & 0xFFFFFF);
        }
      }
    }
  }

  @Test
  void bytesAndPathGiveTheSameImage() throws IOException {
    Path file = GoldenFiles.path(DIR + "rgb_q90_420.jpg");
    assertThat(ImageDecoder.decode(Files.readAllBytes(file), "mem").rgb())
        .isEqualTo(ImageDecoder.decode(file).rgb());
  }
}
