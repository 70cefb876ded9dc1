package org.ctx4j.core.retrieval;

/**
 * Results of a {@link TopKIndex#search}: row-major {@code [numQueries, k]} key ids and scores, each
 * row sorted by descending score, ties by lower id.
 */
public record TopKResult(int numQueries, int k, int[] ids, float[] scores) {

  /** Key id of the j-th best match of query q. */
  public int id(int q, int j) {
    return ids[q * k + j];
  }

  /** Score of the j-th best match of query q. */
  public float score(int q, int j) {
    return scores[q * k + j];
  }
}
