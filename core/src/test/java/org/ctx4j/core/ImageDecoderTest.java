package org.ctx4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
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
            "broken_header_only.jpg")) {
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
  void bytesAndPathGiveTheSameImage() throws IOException {
    Path file = GoldenFiles.path(DIR + "rgb_q90_420.jpg");
    assertThat(ImageDecoder.decode(Files.readAllBytes(file), "mem").rgb())
        .isEqualTo(ImageDecoder.decode(file).rgb());
  }
}
