package org.ctx4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RgbImageTest {
  @Test
  void wrapsTheArrayWithoutCopying() {
    byte[] rgb = new byte[3 * 2 * 5];
    RgbImage image = RgbImage.of(2, 5, rgb);
    assertThat(image.rgb()).isSameAs(rgb);
    assertThat(image.width()).isEqualTo(2);
    assertThat(image.height()).isEqualTo(5);
  }

  @Test
  void rejectsLengthThatDoesNotMatchTheSizeNamingBoth() {
    assertThatThrownBy(() -> RgbImage.of(2, 5, new byte[29]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rgb length (29) != 3*2*5 (30)");
  }

  @Test
  void rejectsNonPositiveSides() {
    assertThatThrownBy(() -> RgbImage.of(0, 5, new byte[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("image size must be positive, got 0x5");
  }

  @Test
  void cropBoxRejectsEmptyBoxesNamingTheSize() {
    assertThatThrownBy(() -> new CropBox(0, 0, 0, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("crop size must be positive, got 0x3");
    CropBox box = new CropBox(-1, 2, 4, 3);
    assertThat(box.right()).isEqualTo(3);
    assertThat(box.bottom()).isEqualTo(5);
  }
}
