package org.ctx4j.core.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.ctx4j.core.dataset.CocoDataset;
import org.ctx4j.core.dataset.ImageRecord;
import org.ctx4j.core.dataset.VisualGenomeCaptions;
import org.ctx4j.testing.DemoData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoDataTest {
  @TempDir Path root;

  @Test
  void writesACocoDatasetThatOurReaderOpensWithAllFiles() throws IOException {
    DemoData.Layout layout = DemoData.write(root, 50, 7);

    CocoDataset coco = CocoDataset.open(layout.cocoRoot());
    assertThat(coco.images()).hasSize(50);
    assertThat(coco.description()).contains("40 train2014, 10 val2014");
    assertThat(coco.missingFiles()).isEmpty();
    ImageRecord first = coco.images().get(0);
    assertThat(first.captions()).hasSize(5).allSatisfy(c -> assertThat(c).isEqualTo(c.strip()));
    assertThat(first.file().getFileName().toString())
        .matches("COCO_(train|val)2014_\\d{12}\\.jpg")
        .endsWith(String.format("%012d.jpg", first.id()));
    BufferedImage image = ImageIO.read(first.file().toFile());
    assertThat(image.getWidth()).isBetween(64, 224);
  }

  @Test
  void writesAVisualGenomeSampleWithTheCaptionWords() {
    DemoData.Layout layout = DemoData.write(root, 5, 7);

    List<String> captions =
        VisualGenomeCaptions.build(layout.attributesJson(), layout.relationshipsJson());

    assertThat(captions).contains("red circle").hasSizeGreaterThan(50);
    assertThat(captions).anyMatch(c -> c.contains(" next to "));
  }

  @Test
  void sameSeedSameBytes() throws IOException {
    DemoData.Layout a = DemoData.write(root.resolve("a"), 6, 3);
    DemoData.Layout b = DemoData.write(root.resolve("b"), 6, 3);
    DemoData.Layout c = DemoData.write(root.resolve("c"), 6, 4);
    Path captions = Path.of("annotations/captions_train2014.json");
    assertThat(a.cocoRoot().resolve(captions))
        .hasSameBinaryContentAs(b.cocoRoot().resolve(captions));
    assertThat(a.attributesJson()).hasSameBinaryContentAs(b.attributesJson());
    assertThat(Files.readString(a.cocoRoot().resolve(captions)))
        .isNotEqualTo(Files.readString(c.cocoRoot().resolve(captions)));
  }
}
