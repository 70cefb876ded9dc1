package org.ctx4j.core;

import com.google.common.base.Preconditions;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.ctx4j.core.retrieval.RetrievalOptions;
import org.ctx4j.core.retrieval.TopKIndex;
import org.ctx4j.core.retrieval.TopKResult;

/**
 * The context of a new image, computed on demand by the build's own per-image step: the visual
 * feature (what vis_ctx stores) and, for every crop view, its box in the image and its top-k
 * captions with scores and features (what txt_ctx stores). For an image of a build made with the
 * same caption db, encoder, preprocessor, crops and k, the result equals what the build wrote,
 * bit for bit.
 *
 * <pre>{@code
 * try (CaptionDb db = CaptionDb.open(buildDir.resolve("caption_db.hdf5"));
 *     LiveContext live = LiveContext.create(db, clip.imageEncoder(), clip.preprocessor(), 16)) {
 *   LiveContext.Result r = live.contextOf(Path.of("cat.jpg"));
 *   TopKTexts texts = r.view(CropStrategy.FIVE, 4).captions();
 * }
 * }</pre>
 *
 * <p>Thread-safe: callers decode, preprocess and search in their own threads; the encoder (not
 * thread-safe) runs one call at a time, and requests that arrive while it is busy share its next
 * call (rows are batch-invariant, so sharing never changes a result). Does not close the caption db
 * or the encoder (their creators do); {@link #close()} releases the retrieval index.
 */
public final class LiveContext implements AutoCloseable {
  /** Most images of concurrent requests encoded in one call. */
  private static final int MAX_IMAGES_PER_CALL = 8;
  /** Heap for caption features retrieved (they repeat a lot across images). */
  private static final long FEATURE_CACHE_BYTES = 64L << 20;

  private final ImageEncoder encoder;
  private final ImageViews views;
  private final TopKIndex index;
  private final CaptionTable captions;
  private final int captionCount;
  private final Path dbPath;
  private final ReentrantLock encoderLock = new ReentrantLock();
  private final ConcurrentLinkedQueue<Pending> pending = new ConcurrentLinkedQueue<>();
  private volatile boolean closed;

  /** One crop view's context. */
  public record View(CropStrategy crop, int index, CropBox box, TopKTexts captions) {}

  /**
   * An image's context.
   *
   * @param width the image's width in pixels
   * @param height its height
   * @param visualFeature the vision tower's pooled output of the whole image (vis_ctx's row)
   * @param views every crop view, crops in canonical order, each crop's views by index
   */
  public record Result(int width, int height, float[] visualFeature, List<View> views) {
    public Result {
      views = List.copyOf(views);
    }

    /**
     * View {@code index} of {@code crop}.
     *
     * @throws IllegalArgumentException if the crop was not computed or the index is out of range
     */
    public View view(CropStrategy crop, int index) {
      for (View v : views) {
        if (v.crop() == crop && v.index() == index) {
          return v;
        }
      }
      throw new IllegalArgumentException(
          "no view " + crop.key() + " " + index + " (crop index 0.." + (crop.count() - 1)
              + " of the crops computed)");
    }
  }

  private record Pending(float[] pixels, CompletableFuture<ImageEncoder.ImageEncoding> done) {}

  private LiveContext(
      CaptionDb db,
      ImageEncoder encoder,
      ClipPreprocessor preprocessor,
      List<CropStrategy> crops,
      Map<CropStrategy, Integer> k,
      RetrievalOptions retrieval) {
    Preconditions.checkArgument(
        encoder.embedDim() == db.keyDim(),
        "the encoder's embedding width (%s) is not the caption db's key width (%s): %s",
        encoder.embedDim(),
        db.keyDim(),
        db.path());
    Preconditions.checkArgument(
        encoder.inputSize() == preprocessor.outputSize(),
        "the encoder's input size (%s) is not the preprocessor's output size (%s)",
        encoder.inputSize(),
        preprocessor.outputSize());
    for (CropStrategy c : crops) {
      int kk = k.get(c);
      Preconditions.checkArgument(
          kk >= 1 && kk <= db.size(),
          "k for %s (%s) is outside 1..%s (the captions in %s)",
          c.key(),
          kk,
          db.size(),
          db.path());
    }
    this.encoder = encoder;
    this.views = new ImageViews(true, crops, k, preprocessor);
    this.index = BuildRunner.openIndex(db.file(), retrieval, encoder);
    this.captions = new CaptionTable(db.file(), FEATURE_CACHE_BYTES);
    this.captionCount = db.size();
    this.dbPath = db.path();
  }

  /**
   * A live context over every crop (whole, five, nine) with {@code k} captions each, as a build
   * with {@link ContextBuilder#topK(int)} makes.
   */
  public static LiveContext create(
      CaptionDb db, ImageEncoder encoder, ClipPreprocessor preprocessor, int k) {
    Map<CropStrategy, Integer> ks = new EnumMap<>(CropStrategy.class);
    for (CropStrategy c : CropStrategy.values()) {
      ks.put(c, k);
    }
    return create(db, encoder, preprocessor, ks);
  }

  /**
   * A live context over the crops of {@code k}'s keys (in canonical order), with their k.
   *
   * @throws IllegalArgumentException if no crop is given, a k is outside 1..db size, or the
   *     encoder does not fit the db or the preprocessor
   */
  public static LiveContext create(
      CaptionDb db,
      ImageEncoder encoder,
      ClipPreprocessor preprocessor,
      Map<CropStrategy, Integer> k) {
    return create(db, encoder, preprocessor, k, RetrievalOptions.exact());
  }

  /**
   * As {@link #create(CaptionDb, ImageEncoder, ClipPreprocessor, Map)}, retrieving as a build with
   * {@code retrieval} does (IVF, key precision, device): pass the build's options for results
   * equal to its files.
   */
  public static LiveContext create(
      CaptionDb db,
      ImageEncoder encoder,
      ClipPreprocessor preprocessor,
      Map<CropStrategy, Integer> k,
      RetrievalOptions retrieval) {
    Preconditions.checkArgument(!k.isEmpty(), "no crop given: k is empty");
    Preconditions.checkNotNull(retrieval, "retrieval");
    List<CropStrategy> crops = new ArrayList<>();
    for (CropStrategy c : CropStrategy.values()) {
      if (k.containsKey(c)) {
        crops.add(c);
      }
    }
    return new LiveContext(db, encoder, preprocessor, crops, k, retrieval);
  }

  /** The crops computed, in canonical order. */
  public List<CropStrategy> crops() {
    return views.crops();
  }

  /** Captions kept for {@code crop}. */
  public int k(CropStrategy crop) {
    return views.k(crop);
  }

  /** Number of captions in the db. */
  public int captionCount() {
    return captionCount;
  }

  /**
   * The context of an image file, decoded as a build decodes it.
   *
   * @throws org.ctx4j.ImageDecodeException if the file cannot be read or decoded
   * @throws org.ctx4j.ImageTooSmallException if a crop of the image would be empty
   */
  public Result contextOf(Path file) {
    return contextOf(ImageDecoder.decode(file));
  }

  /**
   * The context of an encoded image (JPEG, PNG...) held in memory.
   *
   * @param nameForErrors names the image in error messages
   * @throws org.ctx4j.ImageDecodeException if the bytes are not a decodable image
   */
  public Result contextOf(byte[] encoded, String nameForErrors) {
    return contextOf(ImageDecoder.decode(encoded, nameForErrors));
  }

  /** The context of an image in memory (its alpha, if any, is dropped as Pillow's RGB does). */
  public Result contextOf(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    byte[] rgb = new byte[3 * w * h];
    int[] row = new int[w];
    for (int y = 0, o = 0; y < h; y++) {
      image.getRGB(0, y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++) {
        rgb[o++] = (byte) (row[x] >> 16);
        rgb[o++] = (byte) (row[x] >> 8);
        rgb[o++] = (byte) row[x];
      }
    }
    return contextOf(RgbImage.of(w, h, rgb));
  }

  /** The context of a decoded image. */
  public Result contextOf(RgbImage image) {
    checkOpen();
    float[] pixels = new float[views.viewsPerImage() * views.plane()];
    views.preprocess(image, pixels, 0);
    ImageEncoder.ImageEncoding e = encode(pixels);
    float[] queries = views.queries(e.embeddings(), 1, e.embedDim());
    TopKResult result = index.search(queries, views.textualViews(), views.maxK());
    List<View> out = new ArrayList<>();
    int dim = captions.featureDim();
    for (CropStrategy crop : views.crops()) {
      List<CropBox> boxes = crop.boxes(image.width(), image.height());
      int k = views.k(crop);
      int first = views.firstQuery(0, crop);
      for (int c = 0; c < crop.count(); c++) {
        List<String> texts = new ArrayList<>(k);
        float[] scores = new float[k];
        float[][] features = new float[k][dim];
        for (int j = 0; j < k; j++) {
          int id = result.id(first + c, j);
          texts.add(captions.text(id));
          scores[j] = result.score(first + c, j);
          captions.copyFeature(id, features[j], 0);
        }
        out.add(new View(crop, c, boxes.get(c), new TopKTexts(texts, scores, features)));
      }
    }
    float[] visual = Arrays.copyOf(e.pooled(), e.pooledDim()); // WHOLE is view 0
    return new Result(image.width(), image.height(), visual, out);
  }

  /**
   * Encodes one image's views, sharing the encoder call with whatever other requests are waiting
   * when the encoder becomes free (leader batching: the thread that gets the encoder encodes for
   * everyone queued, in arrival order).
   */
  private ImageEncoder.ImageEncoding encode(float[] pixels) {
    Pending mine = new Pending(pixels, new CompletableFuture<>());
    pending.add(mine);
    encoderLock.lock();
    try {
      while (!mine.done().isDone()) {
        encodeWaiting();
      }
    } finally {
      encoderLock.unlock();
    }
    try {
      return mine.done().join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof RuntimeException) {
        throw (RuntimeException) e.getCause();
      }
      throw e;
    }
  }

  private void encodeWaiting() {
    List<Pending> batch = new ArrayList<>();
    Pending p;
    while (batch.size() < MAX_IMAGES_PER_CALL && (p = pending.poll()) != null) {
      batch.add(p);
    }
    if (batch.isEmpty()) {
      return;
    }
    int perImage = views.viewsPerImage();
    int plane = views.plane();
    try {
      checkOpen();
      float[] all = new float[batch.size() * perImage * plane];
      for (int i = 0; i < batch.size(); i++) {
        System.arraycopy(batch.get(i).pixels(), 0, all, i * perImage * plane, perImage * plane);
      }
      ImageEncoder.ImageEncoding e = encoder.encode(all, batch.size() * perImage);
      int pd = e.pooledDim();
      int ed = e.embedDim();
      for (int i = 0; i < batch.size(); i++) {
        int v = i * perImage;
        batch.get(i)
            .done()
            .complete(
                new ImageEncoder.ImageEncoding(
                    perImage,
                    pd,
                    ed,
                    Arrays.copyOfRange(e.pooled(), v * pd, (v + perImage) * pd),
                    Arrays.copyOfRange(e.embeddings(), v * ed, (v + perImage) * ed)));
      }
    } catch (RuntimeException | Error t) {
      for (Pending q : batch) {
        q.done().completeExceptionally(t);
      }
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("live context over " + dbPath + " is closed");
    }
  }

  @Override
  public void close() {
    closed = true;
    encoderLock.lock();
    try {
      index.close();
    } finally {
      encoderLock.unlock();
    }
  }
}
