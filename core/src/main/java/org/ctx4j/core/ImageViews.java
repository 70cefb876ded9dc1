package org.ctx4j.core;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.ctx4j.core.retrieval.TopKResult;
import org.ctx4j.hdf5.CropContext;

/**
 * The per-image step a build runs, shared by the build's image pass and the live context: which
 * views an image has (WHOLE first when the visual context or the whole crop needs it, then the
 * other crops in canonical order), their preprocessing into one pixel buffer, the retrieval
 * queries among the encoded views and the per-crop rows the textual context stores. Whoever uses
 * it gets the build's bytes, because there is only this one code path.
 */
final class ImageViews {
  private final List<CropStrategy> crops;
  private final Map<CropStrategy, Integer> k;
  private final ClipPreprocessor preprocessor;
  /** Crop strategies computed per image, in buffer order; WHOLE first when present. */
  private final List<CropStrategy> viewStrategies = new ArrayList<>();
  /** First view of each strategy within an image's views. */
  private final Map<CropStrategy, Integer> viewOffset = new EnumMap<>(CropStrategy.class);

  private final int viewsPerImage;
  private final int firstTextualView;
  private final int plane;
  private final int maxK;

  /**
   * The views of a pass.
   *
   * @param visual whether the pooled output of WHOLE is wanted (vis_ctx)
   * @param crops the textual crops in canonical order (WHOLE, FIVE, NINE); empty if none
   * @param k the number of captions kept per crop strategy
   */
  public ImageViews(
      boolean visual,
      List<CropStrategy> crops,
      Map<CropStrategy, Integer> k,
      ClipPreprocessor preprocessor) {
    this.crops = List.copyOf(crops);
    this.k = Map.copyOf(k);
    this.preprocessor = preprocessor;
    if (visual || crops.contains(CropStrategy.WHOLE)) {
      viewStrategies.add(CropStrategy.WHOLE);
    }
    for (CropStrategy s : crops) {
      if (s != CropStrategy.WHOLE) {
        viewStrategies.add(s);
      }
    }
    int views = 0;
    for (CropStrategy s : viewStrategies) {
      viewOffset.put(s, views);
      views += s.count();
    }
    this.viewsPerImage = views;
    this.firstTextualView = visual && !crops.contains(CropStrategy.WHOLE) ? 1 : 0;
    int side = preprocessor.outputSize();
    this.plane = 3 * side * side;
    int max = 0;
    for (CropStrategy s : crops) {
      max = Math.max(max, this.k.get(s));
    }
    this.maxK = max;
  }

  /** Views per image (1 + 5 + 9 = 15 for every crop). */
  public int viewsPerImage() {
    return viewsPerImage;
  }

  /** Floats of one preprocessed view. */
  public int plane() {
    return plane;
  }

  /** The textual crops, in canonical order. */
  public List<CropStrategy> crops() {
    return crops;
  }

  /** Captions kept for {@code crop}. */
  public int k(CropStrategy crop) {
    return k.get(crop);
  }

  /** The largest k of any crop: what one search retrieves for every query. */
  public int maxK() {
    return maxK;
  }

  /**
   * Preprocesses every view of {@code image} into {@code pixels} from {@code offset}: {@link
   * #viewsPerImage()} × {@link #plane()} floats.
   *
   * @throws org.ctx4j.ImageTooSmallException if a crop of the image would be empty
   */
  public void preprocess(RgbImage image, float[] pixels, int offset) {
    int view = 0;
    for (CropStrategy strategy : viewStrategies) {
      for (CropBox box : strategy.boxes(image.width(), image.height())) {
        preprocessor.preprocess(image, box, pixels, offset + view * plane);
        view++;
      }
    }
  }

  /** Number of retrieval queries per image: the views of the textual crops. */
  public int textualViews() {
    return viewsPerImage - firstTextualView;
  }

  /**
   * The retrieval queries of {@code images} consecutive images among their encoded {@code
   * embeddings} ({@code images × viewsPerImage} rows of {@code dim}).
   */
  public float[] queries(float[] embeddings, int images, int dim) {
    if (firstTextualView == 0) {
      return embeddings;
    }
    int textualViews = textualViews();
    float[] queries = new float[images * textualViews * dim];
    for (int i = 0; i < images; i++) {
      System.arraycopy(
          embeddings,
          (i * viewsPerImage + firstTextualView) * dim,
          queries,
          i * textualViews * dim,
          textualViews * dim);
    }
    return queries;
  }

  /**
   * The first query of crop {@code strategy} of image {@code image} in a result of {@link
   * #queries}.
   */
  public int firstQuery(int image, CropStrategy strategy) {
    return image * textualViews() + viewOffset.get(strategy) - firstTextualView;
  }

  /**
   * The rows txt_ctx stores for image {@code image} of a search over {@link #queries}: texts and
   * features from {@code captions} unless {@code compact}.
   */
  List<CropContext> cropContexts(
      TopKResult result, int image, boolean compact, CaptionTable captions) {
    List<CropContext> contexts = new ArrayList<>(crops.size());
    for (CropStrategy strategy : crops) {
      int count = strategy.count();
      int kk = k.get(strategy);
      int firstQuery = firstQuery(image, strategy);
      float[] scores = new float[count * kk];
      int[] ids = new int[count * kk];
      for (int c = 0; c < count; c++) {
        for (int j = 0; j < kk; j++) {
          ids[c * kk + j] = result.id(firstQuery + c, j);
          scores[c * kk + j] = result.score(firstQuery + c, j);
        }
      }
      if (compact) {
        contexts.add(CropContext.compact(strategy.key(), count, kk, ids, scores));
      } else {
        int dim = captions.featureDim();
        String[] texts = new String[count * kk];
        float[] features = new float[count * kk * dim];
        for (int r = 0; r < ids.length; r++) {
          texts[r] = captions.text(ids[r]);
          captions.copyFeature(ids[r], features, r * dim);
        }
        contexts.add(CropContext.of(strategy.key(), count, kk, texts, scores, features));
      }
    }
    return contexts;
  }
}
