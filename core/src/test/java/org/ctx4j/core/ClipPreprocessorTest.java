package org.ctx4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Golden: {@code golden/pixels/make_golden.py} (Pillow 9.4 resize/crop and the transformers 4.17
 * CLIPFeatureExtractor steps on crops made by the original code).
 */
class ClipPreprocessorTest {
  private static final String DIR = "/golden/pixels/";
  private static final float[] CLIP_MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
  private static final float[] CLIP_STD = {0.26862954f, 0.26130258f, 0.27577711f};

  private final Map<String, RgbImage> images = new HashMap<>();

  private RgbImage image(String name) {
    return images.computeIfAbsent(
        name, n -> ImageDecoder.decode(GoldenFiles.path(DIR + "img_" + n + ".png")));
  }

  @Test
  void resizeAndCenterCropMatchPillowBitExactlyOnEveryGoldenCase() {
    List<String[]> cases = GoldenFiles.csv(DIR + "cases.csv");
    byte[] expectedAll = GoldenFiles.gunzip(DIR + "expected_u8.bin.gz");
    assertThat(cases).hasSizeGreaterThan(100);
    for (String[] c : cases) {
      RgbImage image = image(c[0]);
      CropStrategy strategy = CropStrategy.fromKey(c[1]);
      CropBox box = strategy.boxes(image.width(), image.height()).get(Integer.parseInt(c[2]));
      int crop = Integer.parseInt(c[4]);
      ClipPreprocessor pre =
          ClipPreprocessor.of(
              new PreprocessorConfig(Integer.parseInt(c[3]), crop, CLIP_MEAN, CLIP_STD));
      int offset = Integer.parseInt(c[5]);
      byte[] expected = Arrays.copyOfRange(expectedAll, offset, offset + 3 * crop * crop);
      assertThat(pre.resizeAndCrop(image, box)).as(String.join(",", c)).isEqualTo(expected);
    }
  }

  @Test
  void normalisedTensorsMatchTransformersFloat32BitExactly() {
    List<String[]> cases = GoldenFiles.csv(DIR + "cases.csv");
    ByteBuffer floats =
        ByteBuffer.wrap(GoldenFiles.gunzip(DIR + "expected_f32.bin.gz"))
            .order(ByteOrder.LITTLE_ENDIAN);
    int checked = 0;
    for (String[] c : cases) {
      int f32Offset = Integer.parseInt(c[6]);
      if (f32Offset < 0) {
        continue;
      }
      RgbImage image = image(c[0]);
      CropBox box =
          CropStrategy.fromKey(c[1])
              .boxes(image.width(), image.height())
              .get(Integer.parseInt(c[2]));
      int crop = Integer.parseInt(c[4]);
      ClipPreprocessor pre =
          ClipPreprocessor.of(
              new PreprocessorConfig(Integer.parseInt(c[3]), crop, CLIP_MEAN, CLIP_STD));
      float[] dst = new float[5 + pre.outputLength()];
      pre.preprocess(image, box, dst, 5);
      float[] expected = new float[pre.outputLength()];
      floats.asFloatBuffer().position(f32Offset).get(expected);
      assertThat(Arrays.copyOfRange(dst, 5, dst.length))
          .as(String.join(",", c))
          .isEqualTo(expected);
      checked++;
    }
    assertThat(checked).isGreaterThan(50);
  }

  @Test
  void concurrentCallsGiveTheSameResult() throws Exception {
    RgbImage image = image("smooth_500x333");
    ClipPreprocessor pre = ClipPreprocessor.defaults();
    List<CropBox> boxes = CropStrategy.NINE.boxes(image.width(), image.height());
    float[][] sequential = new float[boxes.size()][];
    for (int i = 0; i < boxes.size(); i++) {
      sequential[i] = pre.preprocess(image, boxes.get(i));
    }
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(3);
    try {
      List<java.util.concurrent.Future<float[]>> futures = new java.util.ArrayList<>();
      for (CropBox box : boxes) {
        futures.add(pool.submit(() -> pre.preprocess(image, box)));
      }
      for (int i = 0; i < boxes.size(); i++) {
        assertThat(futures.get(i).get()).isEqualTo(sequential[i]);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void strategyOverloadWritesEveryCropInOrder() {
    RgbImage image = image("smooth_500x333");
    ClipPreprocessor pre = ClipPreprocessor.defaults();
    float[] all = new float[5 * pre.outputLength()];
    assertThat(pre.preprocess(image, CropStrategy.FIVE, all, 0)).isEqualTo(5);
    CropBox center = CropStrategy.FIVE.boxes(500, 333).get(4);
    assertThat(Arrays.copyOfRange(all, 4 * pre.outputLength(), 5 * pre.outputLength()))
        .isEqualTo(pre.preprocess(image, center));
    assertThatThrownBy(() -> pre.preprocess(image, CropStrategy.NINE, all, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no room for 9 crops");
  }

  @Test
  void extremelyLongImagesWorkOnTheCentralWindowOnly() {
    // 1x40000: the resize target is 224x8960000; only the 224x224 window is ever materialised.
    byte[] rgb = new byte[3 * 40000];
    for (int i = 0; i < rgb.length; i++) {
      rgb[i] = (byte) (i / 3);
    }
    RgbImage image = RgbImage.of(1, 40000, rgb);
    byte[] out = ClipPreprocessor.defaults().resizeAndCrop(image, CropBox.whole(1, 40000));
    assertThat(out).hasSize(3 * 224 * 224);
  }

  @Test
  void defaultsAreClipVitB32() {
    ClipPreprocessor pre = ClipPreprocessor.defaults();
    assertThat(pre.outputSize()).isEqualTo(224);
    assertThat(pre.config()).isEqualTo(PreprocessorConfig.clipVitB32());
    RgbImage image = image("smooth_640x480");
    float[] whole = pre.preprocess(image, CropBox.whole(640, 480));
    assertThat(whole).hasSize(3 * 224 * 224);
  }

  @Test
  void boxOutsideTheImageIsPaddedWithBlackLikePillowCrop() {
    // A 2x2 white image, box 4x4 starting at (-1,-1): Pillow pads the outside with 0.
    byte[] white = new byte[12];
    Arrays.fill(white, (byte) 255);
    RgbImage image = RgbImage.of(2, 2, white);
    ClipPreprocessor pre = ClipPreprocessor.of(new PreprocessorConfig(4, 4, CLIP_MEAN, CLIP_STD));
    byte[] out = pre.resizeAndCrop(image, new CropBox(-1, -1, 4, 4));
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 4; x++) {
        int expected = (x == 1 || x == 2) && (y == 1 || y == 2) ? 255 : 0;
        assertThat(out[(y * 4 + x) * 3] & 0xFF).as("(%d,%d)", x, y).isEqualTo(expected);
      }
    }
  }

  @Test
  void cropLargerThanResizedImageIsPaddedWithBlack() {
    byte[] gray = new byte[3 * 6 * 4];
    Arrays.fill(gray, (byte) 100);
    // short side 4 stays 4 (no resize), crop 6: top = int((4-6+1)*0.5) = 0, left = int(1*0.5) = 0.
    ClipPreprocessor pre = ClipPreprocessor.of(new PreprocessorConfig(4, 6, CLIP_MEAN, CLIP_STD));
    byte[] out = pre.resizeAndCrop(RgbImage.of(6, 4, gray), CropBox.whole(6, 4));
    assertThat(out[0] & 0xFF).isEqualTo(100);
    assertThat(out[(4 * 6) * 3] & 0xFF).as("row 4 lies below the image").isZero();
  }

  @Test
  void rejectsTooShortDestinationNamingSizes() {
    float[] dst = new float[10];
    RgbImage image = RgbImage.of(1, 1, new byte[3]);
    assertThatThrownBy(
            () -> ClipPreprocessor.defaults().preprocess(image, CropBox.whole(1, 1), dst, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("dst (length 10) has no room for 150528 floats at offset 0");
  }
}
