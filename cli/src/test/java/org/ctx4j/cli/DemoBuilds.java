package org.ctx4j.cli;

import java.nio.file.Path;
import org.ctx4j.clip.ClipModel;
import org.ctx4j.core.ContextBuilder;

/** The whole job on demo data ({@code coco/}, {@code visual_genome/} under {@code data}). */
final class DemoBuilds {
  private DemoBuilds() {}

  static ContextBuilder builder(Path data, ClipModel clip, Path out) {
    return ContextBuilder.forCoco(data.resolve("coco"))
        .visualGenome(data.resolve("visual_genome"))
        .imageEncoder(clip.imageEncoder())
        .textEncoder(clip.textEncoder())
        .preprocessor(clip.preprocessor())
        .output(out);
  }
}
