package org.ctx4j.hdf5;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

/**
 * One crop group's retrieval results for one image, as handed to {@link TextualContextWriter}.
 * Arrays are row-major: {@code scores[c*k + j]} is the score of caption j of crop c,
 * {@code features[(c*k + j)*dim + i]} its feature component i.
 *
 * <p>The original layout needs {@code texts} ({@code count*k}) and {@code features}
 * ({@code count*k*dim}) and leaves {@code captionIds} null; the compact layout needs
 * {@code captionIds} ({@code count*k}) and leaves {@code texts} and {@code features} null. Both need
 * {@code scores} ({@code count*k}). Lengths are checked against the file's {@link TextualLayout} by
 * the writer, which names the image and crop in its message. Arrays are not copied: don't change
 * them until {@code write} returns.
 *
 * @param crop the crop name, matching a {@link CropSpec#name()}
 * @param count number of crops (1 for whole, 5, 9)
 * @param k captions per crop
 * @param texts caption texts, or null for the compact layout
 * @param scores similarity scores, descending per crop
 * @param features caption features, or null for the compact layout
 * @param captionIds caption row indices into the caption db, or null for the original layout
 */
public record CropContext(
    String crop,
    int count,
    int k,
    String[] texts,
    float[] scores,
    float[] features,
    int[] captionIds) {

  public CropContext {
    checkNotNull(crop, "crop");
    checkNotNull(scores, "scores of crop %s", crop);
    checkArgument(count >= 1, "crop count (%s) of crop %s must be >= 1", count, crop);
    checkArgument(k >= 1, "k (%s) of crop %s must be >= 1", k, crop);
  }

  /** Results for the original layout (texts, scores, features). */
  public static CropContext of(
      String crop, int count, int k, String[] texts, float[] scores, float[] features) {
    checkNotNull(texts, "texts of crop %s", crop);
    checkNotNull(features, "features of crop %s", crop);
    return new CropContext(crop, count, k, texts, scores, features, null);
  }

  /** Results for the compact layout (caption ids into the caption db, scores). */
  public static CropContext compact(
      String crop, int count, int k, int[] captionIds, float[] scores) {
    checkNotNull(captionIds, "captionIds of crop %s", crop);
    return new CropContext(crop, count, k, null, scores, null, captionIds);
  }
}
