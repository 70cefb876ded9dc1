package org.ctx4j.core.internal.retrieval;

import java.util.Arrays;

/**
 * Per-query top-k selection for one block of queries: a bounded binary heap per query in primitive
 * arrays, allocation-free after construction. The order is a strict total order — higher score
 * first, then lower key id — so the selected set is unique whatever order keys are offered in, which
 * makes results independent of how keys are split across threads.
 *
 * <p>{@link #thresholds()} holds, per query, the score a key must reach to be worth offering: −∞
 * until the heap is full, then the worst kept score; +∞ for tile padding past the last query.
 * Kernels compare scores against it in bulk and call {@link #offer} only for candidates (on random
 * data about k·ln(N/k) times per query). Cost per offer: O(log k).
 */
public final class BlockTopK {
  private final int queries;
  private final int k;
  private final float[] scores;
  private final int[] ids;
  private final int[] sizes;
  private final float[] thresholds;
  private final int[] idMap;

  /**
   * @param idMap maps the key indices kernels offer to the ids reported, or null for identity; must
   *     be increasing so that the tie rule on mapped ids matches the offer order
   */
  public BlockTopK(int queries, int k, int[] idMap) {
    this.queries = queries;
    this.k = k;
    this.scores = new float[queries * k];
    this.ids = new int[queries * k];
    this.sizes = new int[queries];
    this.thresholds = new float[PanelLayout.tileCount(queries) * PanelLayout.QUERIES_PER_TILE];
    Arrays.fill(thresholds, 0, queries, Float.NEGATIVE_INFINITY);
    Arrays.fill(thresholds, queries, thresholds.length, Float.POSITIVE_INFINITY);
    this.idMap = idMap;
  }

  public int queries() {
    return queries;
  }

  public int k() {
    return k;
  }

  /** Live per-query thresholds, length {@code tileCount(queries) * QUERIES_PER_TILE}. */
  public float[] thresholds() {
    return thresholds;
  }

  /** Offers key index {@code key} with {@code score} to query {@code q} (padding queries ignored). */
  public void offer(int q, int key, float score) {
    if (q < queries) {
      insert(q, idMap == null ? key : idMap[key], score);
    }
  }

  /** Offers everything {@code other} kept (same queries and k) to this selector. */
  public void mergeFrom(BlockTopK other) {
    for (int q = 0; q < queries; q++) {
      int base = q * k;
      for (int i = 0; i < other.sizes[q]; i++) {
        insert(q, other.ids[base + i], other.scores[base + i]);
      }
    }
  }

  /** Offers everything this selector kept for its query q to query {@code queryMap[q]} of {@code to}. */
  public void mergeInto(BlockTopK to, int[] queryMap) {
    for (int q = 0; q < queries; q++) {
      int base = q * k;
      for (int i = 0; i < sizes[q]; i++) {
        to.insert(queryMap[q], ids[base + i], scores[base + i]);
      }
    }
  }

  /** Number of results kept for query {@code q}. */
  public int count(int q) {
    return sizes[q];
  }

  private static boolean worse(float scoreA, int idA, float scoreB, int idB) {
    return scoreA < scoreB || (scoreA == scoreB && idA > idB);
  }

  private void insert(int q, int id, float score) {
    int base = q * k;
    int size = sizes[q];
    if (size < k) {
      int i = size;
      while (i > 0) {
        int parent = (i - 1) >>> 1;
        if (!worse(score, id, scores[base + parent], ids[base + parent])) {
          break;
        }
        scores[base + i] = scores[base + parent];
        ids[base + i] = ids[base + parent];
        i = parent;
      }
      scores[base + i] = score;
      ids[base + i] = id;
      sizes[q] = ++size;
      if (size == k) {
        thresholds[q] = scores[base];
      }
      return;
    }
    if (!worse(scores[base], ids[base], score, id)) {
      return;
    }
    siftDown(base, size, score, id);
    thresholds[q] = scores[base];
  }

  /** Puts (score, id) at the root of the heap at {@code base} and restores heap order. */
  private void siftDown(int base, int size, float score, int id) {
    int i = 0;
    while (true) {
      int child = 2 * i + 1;
      if (child >= size) {
        break;
      }
      int right = child + 1;
      if (right < size
          && worse(scores[base + right], ids[base + right], scores[base + child], ids[base + child])) {
        child = right;
      }
      if (!worse(scores[base + child], ids[base + child], score, id)) {
        break;
      }
      scores[base + i] = scores[base + child];
      ids[base + i] = ids[base + child];
      i = child;
    }
    scores[base + i] = score;
    ids[base + i] = id;
  }

  /**
   * Writes query {@code q}'s results best first into {@code outIds/outScores} at {@code outOffset}
   * and empties its heap. Returns the number written.
   */
  public int drainSorted(int q, int[] outIds, float[] outScores, int outOffset) {
    int base = q * k;
    int size = sizes[q];
    int written = size;
    while (size > 0) {
      outIds[outOffset + size - 1] = ids[base];
      outScores[outOffset + size - 1] = scores[base];
      size--;
      if (size > 0) {
        siftDown(base, size, scores[base + size], ids[base + size]);
      }
    }
    sizes[q] = 0;
    thresholds[q] = Float.NEGATIVE_INFINITY;
    return written;
  }
}
