package org.ctx4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.ctx4j.ImageTooSmallException;
import org.junit.jupiter.api.Test;

/** Golden boxes: {@code golden/crops/make_golden.py} runs the original crop code on Pillow. */
class CropStrategyTest {

  private static List<int[]> goldenRows() throws IOException {
    List<int[]> rows = new ArrayList<>();
    try (InputStream in =
            Objects.requireNonNull(
                CropStrategyTest.class.getResourceAsStream("/golden/crops/boxes.csv"));
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.startsWith("#")) {
          continue;
        }
        String[] parts = line.split(",");
        int[] row = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
          row[i] = Integer.parseInt(parts[i]);
        }
        rows.add(row);
      }
    }
    return rows;
  }

  private static boolean anyEmpty(int[] row, int firstBox, int count) {
    for (int b = firstBox; b < firstBox + count; b++) {
      int at = 2 + 4 * b;
      if (row[at + 2] <= row[at] || row[at + 3] <= row[at + 1]) {
        return true;
      }
    }
    return false;
  }

  private static void assertMatchesGolden(
      CropStrategy strategy, int[] row, int firstBox, int count) {
    int w = row[0];
    int h = row[1];
    if (anyEmpty(row, firstBox, count)) {
      assertThatThrownBy(() -> strategy.boxes(w, h))
          .as("%dx%d", w, h)
          .isInstanceOf(ImageTooSmallException.class)
          .hasMessageContaining(w + "x" + h);
      return;
    }
    List<CropBox> boxes = strategy.boxes(w, h);
    assertThat(boxes).hasSize(count);
    for (int i = 0; i < count; i++) {
      int at = 2 + 4 * (firstBox + i);
      CropBox expected =
          new CropBox(row[at], row[at + 1], row[at + 2] - row[at], row[at + 3] - row[at + 1]);
      assertThat(boxes.get(i)).as("%s crop %d of %dx%d", strategy, i, w, h).isEqualTo(expected);
    }
  }

  @Test
  void fiveCropMatchesTorchvisionOnPillowForAllGoldenSizes() throws IOException {
    List<int[]> rows = goldenRows();
    assertThat(rows).hasSizeGreaterThan(4096);
    for (int[] row : rows) {
      assertMatchesGolden(CropStrategy.FIVE, row, 0, 5);
    }
  }

  @Test
  void nineCropMatchesOriginalGridForAllGoldenSizes() throws IOException {
    for (int[] row : goldenRows()) {
      assertMatchesGolden(CropStrategy.NINE, row, 5, 9);
    }
  }

  @Test
  void wholeIsTheImage() {
    assertThat(CropStrategy.WHOLE.boxes(7, 3)).containsExactly(new CropBox(0, 0, 7, 3));
  }

  @Test
  void fiveCropBoxesMayDifferInSizeBecausePillowRoundsEachCoordinate() {
    // 229*0.6 = 137.4: TL spans [0, 137), TR spans [round(91.6), round(229.0)) = [92, 229).
    List<CropBox> boxes = CropStrategy.FIVE.boxes(229, 224);
    assertThat(boxes.get(0)).isEqualTo(new CropBox(0, 0, 137, 134));
    assertThat(boxes.get(1)).isEqualTo(new CropBox(92, 0, 137, 134));
  }

  @Test
  void nineCropRejectsImagesNarrowerThanThreePixelsNamingTheSize() {
    assertThatThrownBy(() -> CropStrategy.NINE.boxes(2, 500))
        .isInstanceOf(ImageTooSmallException.class)
        .hasMessage("image of 2x500 pixels is too small for nine crops: crop 0 would be empty");
    assertThat(CropStrategy.NINE.boxes(3, 3)).hasSize(9);
  }

  @Test
  void rejectsNonPositiveSides() {
    assertThatThrownBy(() -> CropStrategy.WHOLE.boxes(0, 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0x5");
  }

  @Test
  void fromKeyNamesTheValidKeys() {
    assertThat(CropStrategy.fromKey("five")).isEqualTo(CropStrategy.FIVE);
    assertThatThrownBy(() -> CropStrategy.fromKey("ten"))
        .hasMessageContaining("'ten'")
        .hasMessageContaining("whole, five, nine");
  }
}
