package org.ctx4j.core;

import com.google.common.cache.CacheBuilder;
import com.google.common.cache.CacheLoader;
import com.google.common.cache.LoadingCache;
import java.util.List;
import org.ctx4j.hdf5.CaptionDbFile;

/**
 * The caption db's texts (all in memory: they are small) and its text features, read on demand
 * through a bounded cache: retrieved captions repeat a lot across images, and the full feature
 * matrix (2.3M × 512 floats for Visual Genome) need not fit the heap.
 */
final class CaptionTable {
  private final List<String> texts;
  private final int featureDim;
  private final LoadingCache<Integer, float[]> features;
  private final long featureCacheLimit;

  /** The db's texts, and a feature cache of at most {@code featureCacheBytes}. */
  public CaptionTable(CaptionDbFile db, long featureCacheBytes) {
    this.texts = db.captions();
    this.featureDim = db.featureDim();
    // The cache never holds more than every feature once (plus Guava's ~100 bytes per entry).
    this.featureCacheLimit =
        Math.min(featureCacheBytes, (long) texts.size() * (16 + 4L * featureDim + 100));
    this.features =
        CacheBuilder.newBuilder()
            .maximumWeight(featureCacheBytes)
            .<Integer, float[]>weigher((row, f) -> 16 + 4 * f.length)
            .build(CacheLoader.from(db::features));
  }

  int size() {
    return texts.size();
  }

  /** Mean UTF-8 length of the texts (of up to 10,000 evenly spaced ones: for estimates). */
  double meanTextBytes() {
    int step = Math.max(1, texts.size() / 10_000);
    long bytes = 0;
    int n = 0;
    for (int i = 0; i < texts.size(); i += step, n++) {
      bytes += texts.get(i).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }
    return n == 0 ? 0 : (double) bytes / n;
  }

  /** The most heap the feature cache will take once full (it starts empty). */
  long featureCacheLimit() {
    return featureCacheLimit;
  }

  /** Width of a text feature. */
  public int featureDim() {
    return featureDim;
  }

  /** Caption {@code row}. */
  public String text(int row) {
    return texts.get(row);
  }

  /** Copies the feature of caption {@code row} to {@code dst} at {@code offset}. */
  public void copyFeature(int row, float[] dst, int offset) {
    System.arraycopy(features.getUnchecked(row), 0, dst, offset, featureDim);
  }
}
