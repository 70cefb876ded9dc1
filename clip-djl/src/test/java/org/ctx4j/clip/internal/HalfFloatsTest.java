package org.ctx4j.clip.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.util.Float16Utils;
import org.ctx4j.testing.SafetensorsWriter;
import org.junit.jupiter.api.Test;

/**
 * Half floats as the safetensors reader decodes them (DJL's {@code Float16Utils}) and as the test
 * model generator encodes them (round to nearest even, as numpy and torch do).
 */
class HalfFloatsTest {

  @Test
  void everyHalfSurvivesARoundTripThroughFloat() {
    for (int h = 0; h < 0x10000; h++) {
      float f = Float16Utils.halfToFloat((short) h);
      if (Float.isNaN(f)) {
        assertThat(Float.isNaN(Float16Utils.halfToFloat(SafetensorsWriter.floatToHalf(f)))).isTrue();
        continue;
      }
      assertThat(SafetensorsWriter.floatToHalf(f) & 0xffff).as("half 0x%04x", h).isEqualTo(h);
    }
  }

  @Test
  void decodesKnownValues() {
    assertThat(Float16Utils.halfToFloat((short) 0x3c00)).isEqualTo(1.0f);
    assertThat(Float16Utils.halfToFloat((short) 0xc000)).isEqualTo(-2.0f);
    assertThat(Float16Utils.halfToFloat((short) 0x7bff)).isEqualTo(65504f);
    assertThat(Float16Utils.halfToFloat((short) 0x0001)).isEqualTo(0x1p-24f);
    assertThat(Float16Utils.halfToFloat((short) 0x7c00)).isEqualTo(Float.POSITIVE_INFINITY);
  }

  @Test
  void roundsToNearestEven() {
    float ulp = 0x1p-10f; // spacing of halves in [1, 2)
    assertThat(SafetensorsWriter.floatToHalf(1 + ulp / 2)).isEqualTo((short) 0x3c00); // tie -> even
    assertThat(SafetensorsWriter.floatToHalf(1 + 3 * ulp / 2)).isEqualTo((short) 0x3c02); // tie -> even
    assertThat(SafetensorsWriter.floatToHalf(1 + ulp / 2 + 0x1p-20f)).isEqualTo((short) 0x3c01);
    assertThat(SafetensorsWriter.floatToHalf(65520f)).isEqualTo((short) 0x7c00); // rounds to infinity
    assertThat(SafetensorsWriter.floatToHalf(0x1p-25f)).isEqualTo((short) 0); // tie below min -> 0
    assertThat(SafetensorsWriter.floatToHalf(0x1.8p-25f)).isEqualTo((short) 1);
  }
}
