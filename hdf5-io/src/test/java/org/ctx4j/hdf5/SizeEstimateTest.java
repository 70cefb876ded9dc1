package org.ctx4j.hdf5;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-image size estimates (which tell a user on a full disk how much space the rest of a
 * build needs) against what one more image really adds to a file, for the original's ViT-B/32
 * layout: the estimate errs on the large side, by less than 10 %.
 */
class SizeEstimateTest {
  @TempDir Path dir;

  @Test
  void textualEstimateIsWithinTenPercentAboveWhatAnImageAdds() throws IOException {
    for (boolean compact : new boolean[] {false, true}) {
      TextualLayout layout =
          new TextualLayout(
              512,
              List.of(
                  new CropSpec("whole", 1, 16), new CropSpec("five", 5, 16), new CropSpec("nine", 9, 16)),
              compact);
      long[] textStats = new long[2]; // bytes, count
      long perImage =
          (textualFile(layout, 30, textStats) - textualFile(layout, 10, textStats)) / 20;
      long estimate =
          TextualContextWriter.estimatedBytesPerImage(layout, (double) textStats[0] / textStats[1]);
      assertThat((double) estimate)
          .as("compact=%s, %d bytes per image", compact, perImage)
          .isBetween(perImage * 1.0, perImage * 1.1);
    }
  }

  @Test
  void visualEstimateIsWithinTenPercentAboveWhatAnImageAdds() throws IOException {
    long perImage = (visualFile(300) - visualFile(100)) / 200;
    assertThat((double) VisualContextWriter.estimatedBytesPerImage(768))
        .as("%d bytes per image", perImage)
        .isBetween(perImage * 1.0, perImage * 1.1);
  }

  private long visualFile(int images) throws IOException {
    Path file = dir.resolve("vis-" + images + ".hdf5");
    try (VisualContextWriter w = VisualContextWriter.open(file, 768, Map.of())) {
      for (int id = 1; id <= images; id++) {
        w.write(id, new float[768]);
      }
    }
    return Files.size(file);
  }

  /** Writes a file of {@code images} images with captions of 9, 19 or 29 bytes; its size. */
  private long textualFile(TextualLayout layout, int images, long[] textStats) throws IOException {
    SplittableRandom random = new SplittableRandom(images);
    Path file = dir.resolve("txt-" + layout.compact() + "-" + images + ".hdf5");
    Map<String, String> provenance = Map.of("caption_db", "caption_db.hdf5");
    try (TextualContextWriter w = TextualContextWriter.open(file, layout, provenance)) {
      for (int id = 1; id <= images; id++) {
        List<CropContext> crops = new ArrayList<>();
        for (CropSpec c : layout.crops()) {
          int rows = c.count() * c.k();
          String[] texts = new String[rows];
          int[] ids = new int[rows];
          for (int i = 0; i < rows; i++) {
            texts[i] = "white dog ".repeat(1 + random.nextInt(3)).strip();
            textStats[0] += texts[i].getBytes(StandardCharsets.UTF_8).length;
            textStats[1]++;
            ids[i] = random.nextInt(1000);
          }
          crops.add(
              layout.compact()
                  ? CropContext.compact(c.name(), c.count(), c.k(), ids, new float[rows])
                  : CropContext.of(
                      c.name(), c.count(), c.k(), texts, new float[rows], new float[rows * 512]));
        }
        w.write(id, crops);
      }
    }
    return Files.size(file);
  }
}
