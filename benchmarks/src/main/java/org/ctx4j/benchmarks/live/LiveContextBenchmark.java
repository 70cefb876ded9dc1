package org.ctx4j.benchmarks.live;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.ctx4j.benchmarks.pipeline.PipelineBenchmark;
import org.ctx4j.benchmarks.pipeline.PipelineRuns;
import org.ctx4j.benchmarks.retrieval.BenchmarkData;
import org.ctx4j.clip.ClipModel;
import org.ctx4j.core.CaptionDb;
import org.ctx4j.core.ClipPreprocessor;
import org.ctx4j.core.CropBox;
import org.ctx4j.core.CropStrategy;
import org.ctx4j.core.ImageDecoder;
import org.ctx4j.core.ImageEncoder;
import org.ctx4j.core.LiveContext;
import org.ctx4j.core.RgbImage;
import org.ctx4j.core.retrieval.TopKIndex;
import org.ctx4j.core.retrieval.TopKIndexes;
import org.ctx4j.hdf5.CaptionDbFile;
import org.ctx4j.hdf5.CaptionDbWriter;
import org.ctx4j.testing.TinyClipModels;
import org.ctx4j.testing.TinyClipSpec;

/**
 * Latency of {@link LiveContext#contextOf(Path)} for one 640×480 JPEG (15 views, top-16 of every
 * view) against a caption db of {@code keys} captions, with the tiny model at ViT-B/32's input
 * geometry and with the full ViT-B/32 architecture (random weights), on CPU. Prints p50/p99 of
 * sequential requests, where the time goes (each step timed alone with the same public pieces
 * the live context runs), and throughput and latency under concurrent clients (whose requests
 * share encoder calls).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.ctx4j.benchmarks.live.LiveContextBenchmark \
 *     [work dir (/tmp/ctx4j-live-bench)] [keys (100000)] [requests (40)] [models (tiny,vitb32)]
 *     [clients (1,4)]
 * </pre>
 *
 * The peer, {@code benchmarks/peers/live_context_torch.py}, runs the same step in Python
 * (Pillow, transformers' CLIP on the same model directory, torch top-k over the same keys).
 */
public final class LiveContextBenchmark {
  private static final int K = 16;

  private LiveContextBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path work = Path.of(args.length > 0 ? args[0] : "/tmp/ctx4j-live-bench");
    int keys = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    int requests = args.length > 2 ? Integer.parseInt(args[2]) : 40;
    List<String> models = List.of((args.length > 3 ? args[3] : "tiny,vitb32").split(","));
    int[] clients =
        Stream.of((args.length > 4 ? args[4] : "1,4").split(",")).mapToInt(Integer::parseInt).toArray();
    Path images = work.resolve("images");
    PipelineRuns.generateImages(images, 16);
    List<Path> files;
    try (Stream<Path> s = Files.list(images)) {
      files = s.sorted().collect(Collectors.toList());
    }
    System.out.printf(
        Locale.ROOT, "%d images 640x480, caption db of %d keys, top-%d, %d requests, java %s, %d cores%n",
        files.size(), keys, K, requests, System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors());
    for (String name : models) {
      TinyClipSpec spec = name.equals("vitb32") ? TinyClipSpec.vitB32() : PipelineBenchmark.tinyAt224();
      Path model = TinyClipModels.write(work.resolve("model-" + name), spec, 1);
      try (ClipModel clip = ClipModel.load(model)) {
        Path db = work.resolve("caption_db-" + name + "-" + keys + ".hdf5");
        writeCaptionDb(db, keys, clip.imageEncoder().embedDim(), clip.textEncoder().featureDim());
        measure(name, clip, db, files, requests, clients);
      }
    }
  }

  /** Random unit keys and random features: retrieval cost does not depend on their values. */
  static void writeCaptionDb(Path file, int size, int keyDim, int featureDim) {
    if (Files.exists(file)) {
      return;
    }
    SplittableRandom random = new SplittableRandom(7);
    try (CaptionDbWriter w =
        CaptionDbWriter.create(file, size, keyDim, featureDim, Map.of("model", "benchmark"))) {
      int chunk = 10_000;
      for (int from = 0; from < size; from += chunk) {
        int n = Math.min(chunk, size - from);
        List<String> captions = new ArrayList<>(n);
        float[] k = BenchmarkData.normalisedGaussians(n, keyDim, 7 + from);
        float[] f = new float[n * featureDim];
        for (int i = 0; i < n; i++) {
          captions.add(String.format(Locale.ROOT, "caption %08d", from + i));
        }
        for (int i = 0; i < f.length; i++) {
          f[i] = (float) random.nextGaussian();
        }
        w.append(captions, k, f);
      }
    }
  }

  private static void measure(
      String name, ClipModel clip, Path dbFile, List<Path> files, int requests, int[] clients)
      throws Exception {
    ImageEncoder encoder = clip.imageEncoder();
    ClipPreprocessor preprocessor = clip.preprocessor();
    try (CaptionDb db = CaptionDb.open(dbFile);
        LiveContext live = LiveContext.create(db, encoder, preprocessor, K)) {
      // Warm-up: PyTorch's graph executor profiles and optimises a shape over its first calls.
      long warm = System.nanoTime() + 10_000_000_000L;
      for (int i = 0; i < 5 || System.nanoTime() < warm; i++) {
        live.contextOf(files.get(i % files.size()));
      }
      long[] total = new long[requests];
      for (int i = 0; i < requests; i++) {
        long t = System.nanoTime();
        live.contextOf(files.get(i % files.size()));
        total[i] = System.nanoTime() - t;
      }
      System.out.printf(
          Locale.ROOT, "%n[%s] sequential: p50 %.1f ms, p99 %.1f ms, mean %.1f ms (%d requests)%n",
          name, ms(pct(total, 50)), ms(pct(total, 99)), ms(mean(total)), requests);

      // Where the time goes: each step alone, with the pieces the live context runs.
      long[] decode = new long[requests];
      long[] prep = new long[requests];
      long[] encode = new long[requests];
      long[] retrieve = new long[requests];
      int side = preprocessor.outputSize();
      int plane = 3 * side * side;
      try (CaptionDbFile raw = CaptionDbFile.open(dbFile);
          TopKIndex index = exactIndexOnCpu(raw)) {
        for (int i = 0; i < requests; i++) {
          Path f = files.get(i % files.size());
          long t = System.nanoTime();
          RgbImage image = ImageDecoder.decode(f);
          decode[i] = System.nanoTime() - t;
          t = System.nanoTime();
          float[] pixels = new float[15 * plane];
          int v = 0;
          for (CropStrategy s : CropStrategy.values()) {
            for (CropBox b : s.boxes(image.width(), image.height())) {
              preprocessor.preprocess(image, b, pixels, v++ * plane);
            }
          }
          prep[i] = System.nanoTime() - t;
          t = System.nanoTime();
          ImageEncoder.ImageEncoding e = encoder.encode(pixels, 15);
          encode[i] = System.nanoTime() - t;
          t = System.nanoTime();
          index.search(e.embeddings(), 15, K);
          retrieve[i] = System.nanoTime() - t;
        }
      }
      double sum = ms(pct(decode, 50)) + ms(pct(prep, 50)) + ms(pct(encode, 50)) + ms(pct(retrieve, 50));
      System.out.printf(
          Locale.ROOT,
          "[%s] steps (p50): decode %.1f ms, crop+preprocess 15 views %.1f ms, encode 15 views %.1f ms,"
              + " top-%d of 15 queries over %d keys %.1f ms; sum %.1f ms; captions + features and"
              + " the rest %.1f ms%n",
          name, ms(pct(decode, 50)), ms(pct(prep, 50)), ms(pct(encode, 50)), K, db.size(),
          ms(pct(retrieve, 50)), sum, ms(pct(total, 50)) - sum);

      for (int c : clients) {
        concurrent(name, live, files, requests, c);
      }
    }
  }

  /**
   * The exact CPU index a live context searches with its default options: over the caption db's
   * keys mapped in place where the file stores them contiguously, else copied to the heap.
   */
  private static TopKIndex exactIndexOnCpu(CaptionDbFile db) {
    return db.keysLocation()
        .map(loc -> TopKIndexes.exactMapped(loc.file(), loc.offset(), loc.rows(), loc.cols()))
        .orElseGet(() -> TopKIndexes.exact(db.keys(0, db.size()), db.size(), db.keyDim()));
  }

  private static void concurrent(
      String name, LiveContext live, List<Path> files, int requests, int clients) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      long[] latencies = new long[requests];
      long start = System.nanoTime();
      List<Future<?>> futures = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int client = c;
        futures.add(
            pool.submit(
                () -> {
                  for (int i = client; i < requests; i += clients) {
                    long t = System.nanoTime();
                    live.contextOf(files.get(i % files.size()));
                    latencies[i] = System.nanoTime() - t;
                  }
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          Locale.ROOT, "[%s] %d clients: %.2f images/s, latency p50 %.1f ms, p99 %.1f ms%n",
          name, clients, requests / seconds, ms(pct(latencies, 50)), ms(pct(latencies, 99)));
    } finally {
      pool.shutdownNow();
    }
  }

  static long pct(long[] values, int percentile) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int i = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  private static double mean(long[] values) {
    return Arrays.stream(values).average().orElse(0);
  }

  static double ms(double nanos) {
    return nanos / 1e6;
  }
}
