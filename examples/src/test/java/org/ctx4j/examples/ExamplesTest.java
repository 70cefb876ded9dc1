package org.ctx4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ctx4j.clip.ClipModel;
import org.ctx4j.core.ContextBuilder;
import org.ctx4j.core.TextualContext;
import org.ctx4j.core.VisualContext;
import org.ctx4j.core.dataset.CocoDataset;
import org.ctx4j.core.dataset.ImageRecord;
import org.ctx4j.testing.DemoData;
import org.ctx4j.testing.TinyClipModels;
import org.ctx4j.testing.TinyClipSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs each example program on generated COCO/Visual Genome data and a tiny CLIP model. */
class ExamplesTest {
  @TempDir static Path dir;
  private static Path data;
  private static Path model;
  private static Path built;
  private static List<ImageRecord> images;

  @BeforeAll
  static void build() {
    data = dir.resolve("data");
    DemoData.write(data, 6, 41);
    model = TinyClipModels.write(dir.resolve("model"), TinyClipSpec.tiny(), 41);
    built = dir.resolve("built");
    try (ClipModel clip = ClipModel.load(model)) {
      ContextBuilder.forCoco(data.resolve("coco"))
          .visualGenome(data.resolve("visual_genome"))
          .imageEncoder(clip.imageEncoder())
          .textEncoder(clip.textEncoder())
          .preprocessor(clip.preprocessor())
          .output(built)
          .build();
    }
    images = CocoDataset.open(data.resolve("coco")).images();
  }

  @Test
  void buildFromImageFolderWritesEveryImageOfTheFolder() throws IOException {
    Path folder = Files.createDirectories(dir.resolve("my-images"));
    for (ImageRecord r : images.subList(0, 3)) {
      Files.copy(r.file(), folder.resolve(r.id() + ".jpg"));
    }
    Path out = dir.resolve("folder-out");
    String printed =
        run(() -> BuildFromImageFolder.main(new String[] {
            folder.toString(), built.resolve("caption_db.hdf5").toString(), model.toString(),
            out.toString()}));
    assertThat(printed).contains("3 images written");
    try (TextualContext txt = TextualContext.open(out.resolve("txt_ctx.hdf5"))) {
      assertThat(txt.ids())
          .containsExactly(images.subList(0, 3).stream().mapToLong(ImageRecord::id).sorted().toArray());
      assertThat(txt.k("five")).isEqualTo(8);
    }
  }

  @Test
  void readContextPrintsTheFeatureAndEachFiveCropsCaptions() {
    long id = images.get(2).id();
    String printed = run(() -> ReadContext.main(new String[] {built.toString(), Long.toString(id)}));
    try (TextualContext txt = TextualContext.open(built.resolve("txt_ctx.hdf5"));
        VisualContext vis = VisualContext.open(built.resolve("vis_ctx.hdf5"))) {
      assertThat(printed)
          .contains("image " + id + ": visual feature of " + vis.dim() + " floats")
          .contains("five[4]: " + String.join(" | ", txt.topK(id, "five", 4, 3).texts()));
    }
  }

  @Test
  void aCustomImageEncoderBuildsAVisualContextOfItsOwnWidth() {
    Path out = dir.resolve("custom-out");
    String printed =
        run(() -> CustomImageEncoder.main(new String[] {data.resolve("coco").toString(), out.toString()}));
    assertThat(printed).contains("6 images written");
    try (VisualContext vis = VisualContext.open(out.resolve("vis_ctx.hdf5"))) {
      assertThat(vis.dim()).isEqualTo(6);
      float[] f = vis.features(images.get(0).id());
      assertThat(f[3]).as("a standard deviation").isPositive();
    }
    assertThat(out.resolve("txt_ctx.hdf5")).doesNotExist();
  }

  @Test
  void liveContextOfAnImagePrintsWhatTheBuildWroteForIt() {
    ImageRecord image = images.get(1);
    String printed =
        run(() -> LiveContextOfAnImage.main(new String[] {
            image.file().toString(), built.resolve("caption_db.hdf5").toString(),
            model.toString(), "4"}));
    try (TextualContext txt = TextualContext.open(built.resolve("txt_ctx.hdf5"));
        VisualContext vis = VisualContext.open(built.resolve("vis_ctx.hdf5"))) {
      assertThat(printed).contains("visual feature of " + vis.dim() + " floats");
      List<String> lines = printed.lines().toList();
      assertThat(lines).hasSize(1 + 1 + 5);
      for (int crop = 0; crop < 5; crop++) {
        String texts = String.join(" | ", txt.topK(image.id(), "five", crop, 4).texts());
        String line = lines.get(2 + crop);
        assertThat(line).startsWith("  five[" + crop + "] ").endsWith(": " + texts);
      }
      assertThat(lines.get(1))
          .endsWith(": " + String.join(" | ", txt.topK(image.id(), "whole", 0, 4).texts()));
    }
  }

  /** Runs {@code body} with System.out captured; returns what it printed. */
  private static String run(Runnable body) {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      body.run();
    } finally {
      System.setOut(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
