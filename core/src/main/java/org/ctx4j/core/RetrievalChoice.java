package org.ctx4j.core;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.ctx4j.core.retrieval.DeviceIndexFactory;
import org.ctx4j.core.retrieval.KeyPrecision;
import org.ctx4j.core.retrieval.RetrievalOptions;
import org.ctx4j.core.retrieval.TopKIndex;
import org.ctx4j.core.retrieval.TopKIndexes;
import org.ctx4j.core.retrieval.TopKResult;
import org.ctx4j.hdf5.CaptionDbFile;

/**
 * The index a build retrieves with: its {@link RetrievalOptions} with the device resolved (the
 * encoder's device index when the options leave it to the encoder and the encoder offers one).
 *
 * @param device the device index, or null for the CPU kernels
 */
record RetrievalChoice(RetrievalOptions options, DeviceIndexFactory device) {
  /** Keys sampled as queries to measure an IVF index's recall against exact search. */
  static final int RECALL_SAMPLE = 256;

  static RetrievalChoice resolve(BuildRequest request) {
    return resolve(request.retrieval(), request.imageEncoder());
  }

  static RetrievalChoice resolve(RetrievalOptions o, ImageEncoder encoder) {
    DeviceIndexFactory device =
        switch (o.placement()) {
          case DEVICE -> o.device().orElseThrow();
          case CPU -> null;
          case ENCODER_DEVICE ->
              o.ivf().isEmpty() && o.keyPrecision() == KeyPrecision.FLOAT32
                  ? encoder.retrievalIndexOnDevice().orElse(null)
                  : null;
        };
    return new RetrievalChoice(o, device);
  }

  /** The build setting: what the index is and where it runs. */
  String setting() {
    // The options with the device resolved describe themselves as "index, keys, where".
    return (device == null ? options.onCpu() : options.on(device)).toString();
  }

  boolean isApproximate() {
    return options.ivf().isPresent();
  }

  /** Opens the index over the caption db's keys, searching with all cores; the caller closes it. */
  TopKIndex open(CaptionDbFile db) {
    return open(db, Runtime.getRuntime().availableProcessors());
  }

  /**
   * Opens the index over the caption db's keys; a CPU index searches with {@code threads} threads
   * (results do not depend on them). The caller closes it.
   */
  TopKIndex open(CaptionDbFile db, int threads) {
    int n = db.size();
    int dim = db.keyDim();
    if (device != null) {
      return device.open(db.keys(0, n), n, dim);
    }
    TopKIndexes.Builder b =
        TopKIndexes.builder().precision(options.keyPrecision()).threads(threads);
    if (options.ivf().isPresent()) {
      return b.keys(db.keys(0, n), n, dim).approximate(options.ivf().get()).build();
    }
    db.keysLocation()
        .ifPresentOrElse(
            loc -> {
              b.mappedKeys(loc.file(), loc.offset(), loc.rows(), loc.cols());
              if (panelCacheEnabled()) {
                b.panelCache(panelCacheOf(loc.file()));
              }
            },
            () -> b.keys(db.keys(0, n), n, dim));
    return b.build();
  }

  /**
   * System property: {@code false} searches a caption db's mapped keys in place, without the
   * panel cache file beside it ({@link TopKIndexes.Builder#panelCache}).
   */
  static final String PANEL_CACHE_PROPERTY = "ctx4j.retrieval.panelCache";

  /** Whether builds keep a panel cache beside a caption db ({@value #PANEL_CACHE_PROPERTY}). */
  static boolean panelCacheEnabled() {
    return Boolean.parseBoolean(System.getProperty(PANEL_CACHE_PROPERTY, "true"));
  }

  /** The panel cache of the caption db {@code captionDb}: {@code <name>.panels} beside it. */
  static Path panelCacheOf(Path captionDb) {
    return captionDb.resolveSibling(captionDb.getFileName() + ".panels");
  }

  /**
   * Recall@k of {@code approximate} against exact search, on {@value #RECALL_SAMPLE} caption keys
   * spread evenly over the db used as queries: the share of the exact top-k that the index finds.
   * Deterministic for a given caption db and IVF settings.
   */
  static double recall(CaptionDbFile db, TopKIndex approximate, int k) {
    int n = db.size();
    int dim = db.keyDim();
    int samples = Math.min(RECALL_SAMPLE, n);
    float[] queries = new float[samples * dim];
    for (int i = 0; i < samples; i++) {
      System.arraycopy(db.keys((int) ((long) i * n / samples), 1), 0, queries, i * dim, dim);
    }
    int kk = Math.min(k, n);
    TopKResult exact;
    RetrievalChoice exactOnCpu = new RetrievalChoice(RetrievalOptions.exact().onCpu(), null);
    try (TopKIndex reference = exactOnCpu.open(db)) {
      exact = reference.search(queries, samples, kk);
    }
    TopKResult found = approximate.search(queries, samples, kk);
    long hits = 0;
    for (int q = 0; q < samples; q++) {
      Set<Integer> truth = new HashSet<>();
      for (int j = 0; j < kk; j++) {
        truth.add(exact.id(q, j));
      }
      for (int j = 0; j < kk; j++) {
        if (truth.contains(found.id(q, j))) {
          hits++;
        }
      }
    }
    return (double) hits / ((long) samples * kk);
  }
}
