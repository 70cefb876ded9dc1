package org.ctx4j.hdf5;

import java.util.List;

/**
 * The top-k retrieved captions of one crop of one image, best first: what the seed README's h5py
 * snippet {@code f[f"{id}/five/texts"][crop_n, :top_k]} (and {@code scores}, {@code features})
 * returns.
 *
 * @param texts the k caption texts
 * @param scores their k similarity scores, descending
 * @param features their k text feature rows, each of the file's feature width
 */
public record CropResult(List<String> texts, float[] scores, float[][] features) {
  public CropResult {
    texts = List.copyOf(texts);
  }

  /** The number of captions, k. */
  public int size() {
    return texts.size();
  }
}
