package org.ctx4j.examples;

import java.nio.file.Path;
import org.ctx4j.clip.ClipModel;
import org.ctx4j.core.CaptionDb;
import org.ctx4j.core.CropStrategy;
import org.ctx4j.core.LiveContext;

/**
 * The context of an image that no build has seen, computed on demand against a built caption db
 * (as a captioning demo or service would): its visual feature and, for the whole image and each
 * of its five crops, the best captions with their scores. For an image a build did see, with the
 * same caption db, model and k, it prints what the build wrote.
 *
 * <pre>
 * java org.ctx4j.examples.LiveContextOfAnImage IMAGE CAPTION_DB MODEL_DIR [K]
 * </pre>
 */
public final class LiveContextOfAnImage {
  private LiveContextOfAnImage() {}

  public static void main(String[] args) {
    Path image = Path.of(args[0]);
    Path captionDb = Path.of(args[1]);
    Path model = Path.of(args[2]);
    int k = args.length > 3 ? Integer.parseInt(args[3]) : 4;
    // The model owns its encoders and the caption db is ours: each is closed by whoever opened it.
    try (ClipModel clip = ClipModel.load(model);
        CaptionDb db = CaptionDb.open(captionDb);
        LiveContext live = LiveContext.create(db, clip.imageEncoder(), clip.preprocessor(), k)) {
      LiveContext.Result r = live.contextOf(image);
      System.out.printf("%s: %d x %d, visual feature of %d floats%n",
          image.getFileName(), r.width(), r.height(), r.visualFeature().length);
      for (LiveContext.View v : r.views()) {
        if (v.crop() == CropStrategy.NINE) {
          continue;
        }
        System.out.printf("  %s[%d] %s: %s%n", v.crop().key(), v.index(), v.box(),
            String.join(" | ", v.captions().texts()));
      }
    }
  }
}
