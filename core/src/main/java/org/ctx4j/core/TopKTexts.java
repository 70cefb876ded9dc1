package org.ctx4j.core;

import java.util.List;

/**
 * The top-k captions retrieved for one crop of one image, best first, as the seed README's h5py
 * snippet returns them: {@code texts[i]} scored {@code scores[i]}, with text feature {@code
 * features[i]} (the file's feature width d).
 *
 * @param texts the k caption texts
 * @param scores their similarity scores, descending
 * @param features their CLIP text features, k rows of d
 */
public record TopKTexts(List<String> texts, float[] scores, float[][] features) {
  public TopKTexts {
    texts = List.copyOf(texts);
  }

  /** The number of captions, k. */
  public int k() {
    return texts.size();
  }
}
