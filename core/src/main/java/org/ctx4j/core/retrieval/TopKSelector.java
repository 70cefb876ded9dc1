package org.ctx4j.core.retrieval;

import org.ctx4j.core.internal.retrieval.BlockTopK;
import org.ctx4j.core.internal.retrieval.QueryChecks;

/**
 * For {@link TopKIndex} implementations outside core (a GPU index, say): keeps, per query, the k
 * best (score, key) pairs offered, in ctx4j's strict order — higher score first, then lower key id
 * — so the result does not depend on the order keys are offered in (blocks, devices, threads) and
 * equals the exact CPU index's wherever the scores are the same floats.
 */
public final class TopKSelector {
  private final BlockTopK topK;
  private final int numQueries;
  private final int k;

  /** A selector for {@code numQueries} queries keeping {@code k} each. */
  public TopKSelector(int numQueries, int k) {
    this.topK = new BlockTopK(numQueries, k, null);
    this.numQueries = numQueries;
    this.k = k;
  }

  /**
   * Checks a {@link TopKIndex#search} call's arguments, naming the offending value: queries of
   * {@code numQueries × dim} finite floats, {@code 1 ≤ k ≤ size}.
   *
   * @throws IllegalArgumentException if they do not fit
   */
  public static void checkSearch(float[] queries, int numQueries, int dim, int k, int size) {
    QueryChecks.check(queries, numQueries, dim, k, size);
  }

  /** Offers key {@code key} with {@code score} to query {@code query}. */
  public void offer(int query, int key, float score) {
    topK.offer(query, key, score);
  }

  /** The k best of every query, best first. Call once, after the last offer. */
  public TopKResult result() {
    int[] ids = new int[numQueries * k];
    float[] scores = new float[numQueries * k];
    for (int q = 0; q < numQueries; q++) {
      topK.drainSorted(q, ids, scores, q * k);
    }
    return new TopKResult(numQueries, k, ids, scores);
  }
}
