package org.ctx4j.core.retrieval;

/**
 * Top-k maximum inner product search over a fixed set of key vectors (CLIP text embeddings).
 * Results per query are sorted by descending score; equal scores are ordered by lower key id.
 * Implementations are thread-safe for concurrent {@link #search} calls.
 */
public interface TopKIndex extends AutoCloseable {

  /** Number of keys. */
  int size();

  /** Dimension of keys and queries. */
  int dim();

  /**
   * Searches {@code numQueries} row-major queries of width {@link #dim()}.
   *
   * @throws IllegalArgumentException if k &lt; 1, k &gt; {@link #size()}, the query array has the
   *     wrong length, or a query holds NaN or infinity
   */
  TopKResult search(float[] queries, int numQueries, int k);

  @Override
  void close();
}
