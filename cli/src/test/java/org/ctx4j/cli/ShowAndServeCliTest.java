package org.ctx4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.ctx4j.clip.ClipModel;
import org.ctx4j.core.CropBox;
import org.ctx4j.core.CropStrategy;
import org.ctx4j.core.ImageDecoder;
import org.ctx4j.core.LiveContext;
import org.ctx4j.core.RgbImage;
import org.ctx4j.core.TextualContext;
import org.ctx4j.core.dataset.CocoDataset;
import org.ctx4j.core.dataset.ImageRecord;
import org.ctx4j.server.ContextPicture;
import org.ctx4j.testing.DemoData;
import org.ctx4j.testing.TinyClipModels;
import org.ctx4j.testing.TinyClipSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ctx4j show} draws the boxes where the crops are; {@code serve --model} checks the model. */
class ShowAndServeCliTest {
  @TempDir static Path dir;
  private static Path data;
  private static Path model;
  private static Path out;

  @BeforeAll
  static void build() {
    data = dir.resolve("data");
    DemoData.write(data, 4, 9);
    model = TinyClipModels.write(dir.resolve("model"), TinyClipSpec.tiny(), 9);
    out = dir.resolve("out");
    try (ClipModel clip = ClipModel.load(model)) {
      DemoBuilds.builder(data, clip, out).topK(6).build();
    }
  }

  private static CliRun show(long id, String... extra) {
    String[] base = {
      "show", Long.toString(id), "--dir", out.toString(), "--coco", data.resolve("coco").toString()
    };
    String[] args = new String[base.length + extra.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    return CliRun.of(args);
  }

  @Test
  void showDrawsEachBoxInItsColourWhereTheCropIs() throws Exception {
    ImageRecord record = CocoDataset.open(data.resolve("coco")).images().get(1);
    Path png = dir.resolve("show.png");
    CliRun run = show(record.id(), "--crop", "nine", "-k", "3", "--out", png.toString());
    assertThat(run.exitCode()).as(run.toString()).isZero();
    BufferedImage picture = ImageIO.read(png.toFile());
    // Kept as a test artifact, to look at.
    java.nio.file.Files.copy(
        png, Path.of("target", "show-nine.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    RgbImage image = ImageDecoder.decode(record.file());
    ContextPicture.Placement p = ContextPicture.placement(image.width(), image.height());
    List<CropBox> boxes = CropStrategy.NINE.boxes(image.width(), image.height());
    // Box 8 is drawn last: its left edge, half-way down, is its colour (0xfabed4).
    CropBox b = boxes.get(8);
    int x = p.x(b.left()) + 1;
    int y = (p.y(b.top()) + p.y(b.bottom())) / 2;
    assertThat(picture.getRGB(x, y) & 0xFFFFFF).isEqualTo(0xfabed4);
    // Box 0's top-left corner pixel is its colour (0xe6194b) unless a later box covers it.
    assertThat(picture.getRGB(p.x(0) + 1, p.y(0) + 1) & 0xFFFFFF).isEqualTo(0xe6194b);
  }

  @Test
  void showRefusesABadIdCropOrKInOneLine() {
    long id = CocoDataset.open(data.resolve("coco")).images().get(0).id();
    String png = dir.resolve("x.png").toString();
    CliRun unknown = show(123456789L, "--out", png);
    assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(Ctx4jCli.USER_ERROR);
    assertThat(unknown.err().strip()).contains("no image 123456789").doesNotContain("\n");
    CliRun crop = show(id, "--crop", "ten", "--out", png);
    assertThat(crop.err()).as(crop.toString()).contains("'ten'", "whole", "five", "nine");
    CliRun k = show(id, "-k", "7", "--out", png);
    assertThat(k.err().strip()).as(k.toString())
        .isEqualTo("ctx4j: error: -k 7 is outside 1..6 (the k stored for five)");
  }

  @Test
  void serveWithTheBuildsModelGivesTheBuildsContextAndRefusesAnotherModel() {
    Path other = TinyClipModels.write(dir.resolve("other-model"), TinyClipSpec.tiny(), 10);
    try (TextualContext txt = TextualContext.open(out.resolve("txt_ctx.hdf5"))) {
      assertThatThrownBy(() -> ServeCommand.Live.open(out, other, txt))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("--model " + other)
          .hasMessageContaining("not the model");
      try (ServeCommand.Live live = ServeCommand.Live.open(out, model, txt)) {
        ImageRecord record = CocoDataset.open(data.resolve("coco")).images().get(2);
        LiveContext.Result r = live.context.contextOf(record.file());
        assertThat(r.views()).hasSize(15);
        assertThat(r.view(CropStrategy.FIVE, 3).captions().texts())
            .isEqualTo(txt.topK(record.id(), CropStrategy.FIVE, 3, 6).texts());
      }
    }
  }
}
