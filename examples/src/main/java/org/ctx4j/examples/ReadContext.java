package org.ctx4j.examples;

import java.nio.file.Path;
import org.ctx4j.core.CropStrategy;
import org.ctx4j.core.TextualContext;
import org.ctx4j.core.TopKTexts;
import org.ctx4j.core.VisualContext;

/**
 * Reads what a build wrote, as a captioning model's data loader would: the visual feature of an
 * image and the best captions retrieved for each of its five crops.
 *
 * <pre>
 * java org.ctx4j.examples.ReadContext OUT_DIR [IMAGE_ID]
 * </pre>
 */
public final class ReadContext {
  private ReadContext() {}

  public static void main(String[] args) {
    Path out = Path.of(args[0]);
    try (VisualContext vis = VisualContext.open(out.resolve("vis_ctx.hdf5"));
        TextualContext txt = TextualContext.open(out.resolve("txt_ctx.hdf5"))) {
      long id = args.length > 1 ? Long.parseLong(args[1]) : txt.ids()[0];
      float[] feature = vis.features(id);
      System.out.printf("image %d: visual feature of %d floats%n", id, feature.length);
      for (int crop = 0; crop < CropStrategy.FIVE.count(); crop++) {
        TopKTexts top = txt.topK(id, CropStrategy.FIVE, crop, 3);
        System.out.printf("  five[%d]: %s%n", crop, String.join(" | ", top.texts()));
      }
    }
  }
}
