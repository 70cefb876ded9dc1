package org.ctx4j.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.ctx4j.clip.ClipModel;
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
}
