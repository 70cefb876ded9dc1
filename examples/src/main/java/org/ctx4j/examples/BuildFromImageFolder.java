package org.ctx4j.examples;

import java.nio.file.Path;
import org.ctx4j.clip.ClipModel;
import org.ctx4j.core.BuildReport;
import org.ctx4j.core.ClipPreprocessor;
import org.ctx4j.core.ContextBuilder;
import org.ctx4j.core.CropStrategy;

/**
 * Builds the visual and textual context of a folder of your own images (files named by numeric
 * id, e.g. {@code 42.jpg}) against an existing caption db.
 *
 * <pre>
 * java org.ctx4j.examples.BuildFromImageFolder IMAGES_DIR CAPTION_DB MODEL_DIR OUT_DIR
 * </pre>
 */
public final class BuildFromImageFolder {
  private BuildFromImageFolder() {}

  public static void main(String[] args) {
    Path images = Path.of(args[0]);
    Path captionDb = Path.of(args[1]);
    Path model = Path.of(args[2]);
    Path out = Path.of(args[3]);
    try (ClipModel clip = ClipModel.load(model)) {
      BuildReport report =
          ContextBuilder.forImageFolder(images)
              .captionDb(captionDb)
              .imageEncoder(clip.imageEncoder())
              .preprocessor(ClipPreprocessor.forModel(model))
              .output(out)
              .crops(CropStrategy.WHOLE, CropStrategy.FIVE)
              .topK(8)
              .build();
      System.out.println(report.summary());
    }
  }
}
