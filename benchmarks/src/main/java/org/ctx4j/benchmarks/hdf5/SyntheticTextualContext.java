package org.ctx4j.benchmarks.hdf5;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.ctx4j.hdf5.CropContext;
import org.ctx4j.hdf5.CropSpec;
import org.ctx4j.hdf5.TextualLayout;

/**
 * Synthetic whole/five/nine results shaped like COCO's, built per image as the peer script does:
 * features and scores come from a fixed random pool, texts are formatted per image with the same
 * lengths as the peer's ("caption <n> of image <id>").
 */
final class SyntheticTextualContext {
  private final TextualLayout layout;
  private final float[][] features;
  private final float[][] scores;

  SyntheticTextualContext(int k, int dim) {
    this.layout =
        new TextualLayout(
            dim,
            List.of(new CropSpec("whole", 1, k), new CropSpec("five", 5, k), new CropSpec("nine", 9, k)),
            false);
    Random random = new Random(1);
    features = new float[3][];
    scores = new float[3][];
    for (int c = 0; c < 3; c++) {
      CropSpec spec = layout.crops().get(c);
      features[c] = new float[spec.count() * k * dim];
      scores[c] = new float[spec.count() * k];
      for (int i = 0; i < features[c].length; i++) {
        features[c][i] = (float) random.nextGaussian();
      }
      for (int i = 0; i < scores[c].length; i++) {
        scores[c][i] = random.nextFloat();
      }
    }
  }

  TextualLayout layout() {
    return layout;
  }

  List<CropContext> image(long id) {
    List<CropContext> out = new ArrayList<>(3);
    for (int c = 0; c < 3; c++) {
      CropSpec spec = layout.crops().get(c);
      int k = spec.k();
      String[] texts = new String[spec.count() * k];
      for (int j = 0; j < spec.count(); j++) {
        for (int i = 0; i < k; i++) {
          texts[j * k + i] = "caption " + ((id + (long) j * k + i) % 1000) + " of image " + id;
        }
      }
      out.add(CropContext.of(spec.name(), spec.count(), k, texts, scores[c], features[c]));
    }
    return out;
  }

  float[][] featuresForJhdf(int crop) {
    CropSpec spec = layout.crops().get(crop);
    int rows = spec.count() * spec.k();
    float[][] m = new float[rows][layout.dim()];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(features[crop], r * layout.dim(), m[r], 0, layout.dim());
    }
    return m;
  }

  float[] scores(int crop) {
    return scores[crop];
  }
}
