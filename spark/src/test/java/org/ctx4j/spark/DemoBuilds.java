package org.ctx4j.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.ctx4j.BadImageException;
import org.ctx4j.Ctx4jException;
import org.ctx4j.clip.ClipModel;
import org.ctx4j.core.BuildReport;
import org.ctx4j.core.ContextBuilder;
import org.ctx4j.testing.DemoData;
import org.ctx4j.testing.TinyClipModels;
import org.ctx4j.testing.TinyClipSpec;

/** The same build of generated demo data ({@code DemoData}) on one machine and on Spark. */
final class DemoBuilds {
  private DemoBuilds() {}

  /** Generated demo data, a tiny model, and their one-machine build (the bytes to match). */
  record Fixture(Path data, Path model, Path oneMachine) {}

  /** Writes a {@link Fixture} of {@code images} images under {@code dir}. */
  static Fixture fixture(Path dir, int images, long dataSeed, long modelSeed) {
    Path data = dir.resolve("data");
    DemoData.write(data, images, dataSeed);
    Path model = TinyClipModels.write(dir.resolve("model"), TinyClipSpec.tiny(), modelSeed);
    Path oneMachine = dir.resolve("one-machine");
    try (ClipModel clip = ClipModel.load(model)) {
      oneMachine(data, clip, oneMachine).build();
    }
    return new Fixture(data, model, oneMachine);
  }

  /** The one-machine build of {@code data} into {@code out}. */
  static ContextBuilder oneMachine(Path data, ClipModel clip, Path out) {
    return ContextBuilder.forCoco(data.resolve("coco"))
        .visualGenome(data.resolve("visual_genome"))
        .imageEncoder(clip.imageEncoder())
        .textEncoder(clip.textEncoder())
        .preprocessor(clip.preprocessor())
        .output(out);
  }

  /** The Spark build of {@code data} with the model at {@code model} into {@code out}. */
  static SparkContextBuilder spark(Path data, Path model, Path out) {
    return SparkContextBuilder.forCoco(data.resolve("coco"))
        .visualGenome(data.resolve("visual_genome"))
        .model(model)
        .output(out.toString());
  }

  /** The {@code index}-th COCO image file of {@code data}, in name order. */
  static Path image(Path data, int index) {
    try (Stream<Path> s = Files.list(data.resolve("coco/train2014"))) {
      return s.sorted().skip(index).findFirst().orElseThrow();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Bad input behaves as on one machine: in fresh demo data ({@code images}, {@code seed}) image
   * {@code badIndex} is corrupted; the Spark build in {@code parts} parts fails with one line
   * naming it (not executor stack traces), the one-machine build throws {@link
   * BadImageException}, and with {@code skipBad} both skip it alike: the same skipped.tsv and
   * files.
   */
  static void assertBadImageHandledAsOnOneMachine(
      SparkSession spark, Path model, Path tmp, int images, long seed, int badIndex, int parts,
      String where) throws IOException {
    Path bad = tmp.resolve("bad-data");
    DemoData.write(bad, images, seed);
    Path image = image(bad, badIndex);
    Files.write(image, new byte[] {1, 2, 3, 4, 5});

    assertThatThrownBy(() -> spark(bad, model, tmp.resolve("fails")).imageParts(parts).build(spark))
        .isInstanceOf(Ctx4jException.class)
        .hasMessageContaining(image.getFileName().toString())
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n", "Lost task"));

    Path one = tmp.resolve("bad-one-machine");
    try (ClipModel clip = ClipModel.load(model)) {
      assertThatThrownBy(() -> oneMachine(bad, clip, tmp.resolve("x")).build())
          .isInstanceOf(BadImageException.class);
      oneMachine(bad, clip, one).skipBad(true).build();
    }
    Path skipped = tmp.resolve("skipped");
    BuildReport report = spark(bad, model, skipped).imageParts(parts).skipBad(true).build(spark);
    assertThat(report.skipped()).hasSize(1);
    assertThat(report.skipped().get(0).file().getFileName()).isEqualTo(image.getFileName());
    assertThat(Files.readString(skipped.resolve("skipped.tsv")))
        .contains(image.getFileName().toString())
        .isEqualTo(Files.readString(one.resolve("skipped.tsv")));
    ContextFiles.assertSame(one, skipped, "with a skipped image, " + where);
  }
}
