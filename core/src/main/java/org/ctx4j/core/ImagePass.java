package org.ctx4j.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.ctx4j.BadImageException;
import org.ctx4j.BuildInterruptedException;
import org.ctx4j.Ctx4jException;
import org.ctx4j.ImageDecodeException;
import org.ctx4j.ImageTooSmallException;
import org.ctx4j.core.BuildReport.SkippedImage;
import org.ctx4j.core.dataset.ImageRecord;
import org.ctx4j.core.retrieval.TopKIndex;
import org.ctx4j.core.retrieval.TopKResult;
import org.ctx4j.hdf5.TextualContextWriter;
import org.ctx4j.hdf5.VisualContextWriter;

/**
 * Stages 2 and 3 in one pass over the images, as a pipeline with bounded queues:
 *
 * <ol>
 *   <li>a feeder submits images in id order to a worker pool, one pixel buffer per image taken
 *       from a fixed pool (this bounds memory: no more images are in flight than buffers exist);
 *   <li>workers take the image's share of the heap from the {@link DecodeBudget} (so concurrent
 *       decodes of large images never exceed the heap), decode, crop (whole, five, nine) and
 *       preprocess into the buffer;
 *   <li>the calling thread takes the results <em>in submission order</em>, fills encoder batches
 *       and runs the image encoder (not thread-safe, so one thread);
 *   <li>a writer thread runs retrieval for the batch's crop embeddings and writes vis_ctx and
 *       txt_ctx rows, again in id order.
 * </ol>
 *
 * Because every hand-off keeps submission order, the files receive ids ascending whatever the
 * thread timing. Busy and waiting times of each step are added to {@link Timings}: with a fast
 * encoder, "encoder idle" (waiting for preprocessed images) dominates, i.e. decoding and
 * preprocessing limit throughput.
 */
final class ImagePass {
  static final String TASK = "images";

  /** What to compute. {@code crops} in canonical order (WHOLE, FIVE, NINE); empty if !textual. */
  record Config(
      boolean visual,
      boolean textual,
      List<CropStrategy> crops,
      Map<CropStrategy, Integer> k,
      boolean compact,
      boolean skipBad,
      int threads,
      int batchImages) {}

  /** One image to process and which files still lack it (resume). */
  record Task(ImageRecord record, boolean needVisual, boolean needTextual) {}

  record Outcome(int written, List<SkippedImage> skipped) {}

  private record Prepared(Task task, float[] pixels, Ctx4jException failure) {}

  private record EncodedBatch(List<Task> tasks, ImageEncoder.ImageEncoding encoding) {}

  private static final Future<Prepared> END_OF_IMAGES = CompletableFuture.completedFuture(null);
  private static final EncodedBatch END_OF_BATCHES = new EncodedBatch(List.of(), null);
  private static final long POLL_MS = 100;

  private final Config config;
  private final ImageEncoder encoder;
  private final ClipPreprocessor preprocessor;
  private final TopKIndex index;
  private final CaptionTable captions;
  private final VisualContextWriter visualWriter;
  private final TextualContextWriter textualWriter;
  private final ProgressListener progress;
  private final Timings timings;

  private final ImageViews views;
  private final int viewsPerImage;
  private final int plane;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final AtomicInteger processed = new AtomicInteger();
  /** Set by {@link #run} once the pixel buffers exist, before any worker starts. */
  private DecodeBudget budget;

  ImagePass(
      Config config,
      ImageEncoder encoder,
      ClipPreprocessor preprocessor,
      TopKIndex index,
      CaptionTable captions,
      VisualContextWriter visualWriter,
      TextualContextWriter textualWriter,
      ProgressListener progress,
      Timings timings) {
    this.config = config;
    this.encoder = encoder;
    this.preprocessor = preprocessor;
    this.index = index;
    this.captions = captions;
    this.visualWriter = visualWriter;
    this.textualWriter = textualWriter;
    this.progress = progress;
    this.timings = timings;
    this.views = new ImageViews(config.visual(), config.crops(), config.k(), preprocessor);
    this.viewsPerImage = views.viewsPerImage();
    this.plane = views.plane();
  }

  Outcome run(List<Task> tasks) {
    List<SkippedImage> skipped = new ArrayList<>();
    if (tasks.isEmpty()) {
      return new Outcome(0, skipped);
    }
    int bufferCount = config.batchImages() + 2 * config.threads();
    BlockingQueue<float[]> buffers = new ArrayBlockingQueue<>(bufferCount);
    for (int i = 0; i < bufferCount; i++) {
      buffers.add(new float[viewsPerImage * plane]);
    }
    // The heap in use now includes the buffers; the encoder's batch array and the feature cache
    // come later.
    long batchBytes = 4L * config.batchImages() * viewsPerImage * plane;
    long cacheBytes = captions == null ? 0 : captions.featureCacheLimit();
    budget = DecodeBudget.forThisJvm(batchBytes + cacheBytes, preprocessor.outputSize());
    BlockingQueue<Future<Prepared>> prepared = new LinkedBlockingQueue<>();
    BlockingQueue<EncodedBatch> encoded = new ArrayBlockingQueue<>(2);
    ExecutorService workers =
        Executors.newFixedThreadPool(config.threads(), daemonThreads("ctx4j-prepare"));
    Thread feeder =
        daemonThreads("ctx4j-feeder").newThread(() -> feed(tasks, buffers, prepared, workers));
    AtomicInteger written = new AtomicInteger();
    Thread writer =
        daemonThreads("ctx4j-writer").newThread(() -> writeBatches(encoded, written));
    feeder.start();
    writer.start();
    try {
      encodeInOrder(prepared, buffers, encoded, skipped);
      put(encoded, END_OF_BATCHES);
      join(writer);
    } catch (RuntimeException | Error e) {
      failure.compareAndSet(null, e);
      // The writer still writes the batches already encoded (it stops by itself once its queue is
      // empty), so an interrupted build keeps, and later resumes from, every image it finished.
      join(writer);
    } finally {
      workers.shutdownNow();
      feeder.interrupt();
      writer.interrupt();
      join(feeder);
      join(writer);
    }
    Throwable t = failure.get();
    if (t instanceof RuntimeException) {
      throw (RuntimeException) t;
    } else if (t instanceof Error) {
      throw (Error) t;
    } else if (t != null) {
      throw new IllegalStateException("image pipeline failed", t);
    }
    return new Outcome(written.get(), skipped);
  }

  // ---- step 1: feeder (one thread) --------------------------------------------------------

  private void feed(
      List<Task> tasks,
      BlockingQueue<float[]> buffers,
      BlockingQueue<Future<Prepared>> prepared,
      ExecutorService workers) {
    try {
      for (Task task : tasks) {
        float[] buffer = buffers.take();
        prepared.put(workers.submit(() -> prepare(task, buffer)));
      }
      prepared.put(END_OF_IMAGES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      failure.compareAndSet(null, e);
    }
  }

  // ---- step 2: workers ----------------------------------------------------------------------

  private Prepared prepare(Task task, float[] pixels) {
    try {
      long t = System.nanoTime();
      // The lease bounds the heap of concurrent decodes; it is held until the image is garbage.
      DecodeBudget.Lease lease = budget.admit(task.record().file());
      try {
        t = timings.addSince("decode admission", t);
        RgbImage image = ImageDecoder.decode(task.record().file());
        t = timings.addSince("decode", t);
        views.preprocess(image, pixels, 0);
        timings.addSince("crop + preprocess", t);
        return new Prepared(task, pixels, null);
      } finally {
        lease.close();
      }
    } catch (ImageDecodeException | ImageTooSmallException | ImageTooLargeException e) {
      return new Prepared(task, pixels, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the pass is shutting down after a failure
      throw new PipelineStoppedException();
    }
  }

  // ---- step 3: encoder (calling thread) -----------------------------------------------------

  private void encodeInOrder(
      BlockingQueue<Future<Prepared>> prepared,
      BlockingQueue<float[]> buffers,
      BlockingQueue<EncodedBatch> encoded,
      List<SkippedImage> skipped) {
    ViewStream stream = new ViewStream(encoded);
    while (true) {
      long t = System.nanoTime();
      Future<Prepared> next = take(prepared);
      if (next == END_OF_IMAGES) {
        break;
      }
      Prepared p = get(next);
      timings.addSince("encoder idle", t);
      if (p.failure() != null) {
        ImageRecord r = p.task().record();
        String reason = oneLine(p.failure().getMessage());
        if (!config.skipBad()) {
          throw new BadImageException(r.id(), r.file(), reason, p.failure());
        }
        skipped.add(new SkippedImage(r.id(), r.file(), reason));
        put(buffers, p.pixels());
        reportProgress();
        continue;
      }
      stream.add(p.task(), p.pixels());
      put(buffers, p.pixels());
    }
    stream.flush();
  }

  /**
   * Feeds the encoder whole multiples of its {@link ImageEncoder#preferredBatch()} views, however
   * images and their views fall: an image's views may span two encoder calls. Encoders that pad to
   * a fixed shape (for batch-invariant results) then only pad the very last call of the pass,
   * whatever {@code batchImages} is — a visual-only pass (one view per image) would otherwise run
   * a mostly empty forward pass per call. Images go to the writer, in order, once all their views
   * are encoded.
   */
  private final class ViewStream {
    private final BlockingQueue<EncodedBatch> out;
    private final int chunk = Math.max(1, encoder.preferredBatch());
    /** Encode once this many views are queued: about batchImages images, whole chunks. */
    private final int callViews;
    private final float[] pixels;
    private int queuedViews;
    /** Images not yet handed to the writer, in order; the first may be partly encoded. */
    private final List<Task> open = new ArrayList<>();
    private float[] pooled = new float[0];
    private float[] embeddings = new float[0];
    private int encodedViews;
    private int pooledDim;
    private int embedDim;

    ViewStream(BlockingQueue<EncodedBatch> out) {
      this.out = out;
      int wanted = config.batchImages() * viewsPerImage;
      this.callViews = Math.max(chunk, wanted / chunk * chunk);
      this.pixels = new float[(callViews + viewsPerImage) * plane];
    }

    void add(Task task, float[] imagePixels) {
      System.arraycopy(imagePixels, 0, pixels, queuedViews * plane, viewsPerImage * plane);
      queuedViews += viewsPerImage;
      open.add(task);
      if (queuedViews >= callViews) {
        encode(queuedViews / chunk * chunk);
      }
    }

    void flush() {
      if (queuedViews > 0) {
        encode(queuedViews);
      }
    }

    private void encode(int views) {
      long t = System.nanoTime();
      ImageEncoder.ImageEncoding e = encoder.encode(pixels, views);
      timings.addSince("encode images", t);
      pooledDim = e.pooledDim();
      embedDim = e.embedDim();
      pooled = append(pooled, encodedViews * pooledDim, e.pooled(), views * pooledDim);
      embeddings = append(embeddings, encodedViews * embedDim, e.embeddings(), views * embedDim);
      encodedViews += views;
      queuedViews -= views;
      System.arraycopy(pixels, views * plane, pixels, 0, queuedViews * plane);

      int complete = encodedViews / viewsPerImage;
      if (complete == 0) {
        return;
      }
      int doneViews = complete * viewsPerImage;
      List<Task> tasks = new ArrayList<>(open.subList(0, complete));
      open.subList(0, complete).clear();
      ImageEncoder.ImageEncoding batch =
          new ImageEncoder.ImageEncoding(
              doneViews, pooledDim, embedDim,
              Arrays.copyOf(pooled, doneViews * pooledDim),
              Arrays.copyOf(embeddings, doneViews * embedDim));
      encodedViews -= doneViews;
      pooled = Arrays.copyOfRange(pooled, doneViews * pooledDim, (doneViews + encodedViews) * pooledDim);
      embeddings =
          Arrays.copyOfRange(embeddings, doneViews * embedDim, (doneViews + encodedViews) * embedDim);
      put(out, new EncodedBatch(tasks, batch));
    }

    private float[] append(float[] kept, int keptLength, float[] more, int moreLength) {
      float[] all = Arrays.copyOf(kept, keptLength + moreLength);
      System.arraycopy(more, 0, all, keptLength, moreLength);
      return all;
    }
  }

  // ---- step 4: retrieval and writing (writer thread) ----------------------------------------

  private void writeBatches(BlockingQueue<EncodedBatch> encoded, AtomicInteger written) {
    try {
      while (true) {
        long t = System.nanoTime();
        EncodedBatch batch = take(encoded);
        timings.addSince("writer idle", t);
        if (batch == END_OF_BATCHES) {
          return;
        }
        TopKResult result = config.textual() ? retrieve(batch) : null;
        t = System.nanoTime();
        for (int i = 0; i < batch.tasks().size(); i++) {
          Task task = batch.tasks().get(i);
          long id = task.record().id();
          if (task.needVisual()) {
            int pooledDim = batch.encoding().pooledDim();
            int from = i * viewsPerImage * pooledDim; // WHOLE is view 0
            visualWriter.write(
                id, Arrays.copyOfRange(batch.encoding().pooled(), from, from + pooledDim));
          }
          if (task.needTextual()) {
            textualWriter.write(id, views.cropContexts(result, i, config.compact(), captions));
          }
          written.incrementAndGet();
          reportProgress();
        }
        timings.addSince("write", t);
      }
    } catch (RuntimeException | Error e) {
      failure.compareAndSet(null, e);
    }
  }

  private TopKResult retrieve(EncodedBatch batch) {
    long t = System.nanoTime();
    int images = batch.tasks().size();
    float[] queries =
        views.queries(batch.encoding().embeddings(), images, batch.encoding().embedDim());
    TopKResult result = index.search(queries, images * views.textualViews(), views.maxK());
    timings.addSince("retrieve", t);
    return result;
  }

  // ---- plumbing -----------------------------------------------------------------------------

  /** One more image done (written or skipped); listeners get calls from one thread at a time. */
  private void reportProgress() {
    synchronized (progress) {
      progress.advanced(TASK, processed.incrementAndGet());
    }
  }

  /**
   * Takes the next item; what is already queued is handed out even after another step failed
   * (the queues are short, and their items are finished work worth keeping).
   */
  private <T> T take(BlockingQueue<T> queue) {
    try {
      while (true) {
        T item = queue.poll(POLL_MS, TimeUnit.MILLISECONDS);
        if (item != null) {
          return item;
        }
        checkNoFailure();
      }
    } catch (InterruptedException e) {
      throw interrupted();
    }
  }

  private <T> void put(BlockingQueue<T> queue, T item) {
    try {
      while (!queue.offer(item, POLL_MS, TimeUnit.MILLISECONDS)) {
        checkNoFailure();
      }
    } catch (InterruptedException e) {
      throw interrupted();
    }
  }

  private Prepared get(Future<Prepared> future) {
    try {
      while (true) {
        checkNoFailure();
        try {
          return future.get(POLL_MS, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
          // poll again: another step may have failed meanwhile
        }
      }
    } catch (InterruptedException e) {
      throw interrupted();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      } else if (cause instanceof Error) {
        throw (Error) cause;
      }
      throw new IllegalStateException("image preparation failed", cause);
    }
  }

  /**
   * The calling thread (the encoder, the one that called build()) was interrupted: the public
   * exception that build() throws, with the interrupt status set again. The pipeline's own threads
   * are interrupted only by this class when it shuts them down; for them it is a stop signal.
   */
  private RuntimeException interrupted() {
    Thread.currentThread().interrupt();
    return new BuildInterruptedException(
        "interrupted after " + processed.get() + " images; what was finished is written, and"
            + " running the same build again resumes");
  }

  private void checkNoFailure() {
    if (failure.get() != null) {
      throw new PipelineStoppedException();
    }
  }

  private static void join(Thread thread) {
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static String oneLine(String message) {
    return message == null ? "unknown error" : message.replaceAll("\\s+", " ").trim();
  }

  private static ThreadFactory daemonThreads(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * Thrown inside a step when another step failed first; never escapes {@link #run}, which throws
   * the first failure (or {@link BuildInterruptedException} when the caller was interrupted).
   */
  private static final class PipelineStoppedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PipelineStoppedException() {
      super("pipeline stopped", null, false, false);
    }
  }
}
