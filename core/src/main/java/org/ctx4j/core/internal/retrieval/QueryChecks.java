package org.ctx4j.core.internal.retrieval;

import static com.google.common.base.Preconditions.checkArgument;

/** Argument checks at the {@code search} entry points, with the offending value in the message. */
public final class QueryChecks {
  private QueryChecks() {}

  public static void check(float[] queries, int numQueries, int dim, int k, int size) {
    checkArgument(queries != null, "queries is null");
    checkArgument(numQueries >= 0, "numQueries (%s) < 0", numQueries);
    checkArgument(k >= 1, "k (%s) < 1", k);
    checkArgument(k <= size, "k (%s) > number of keys (%s)", k, size);
    long expected = (long) numQueries * dim;
    checkArgument(queries.length == expected,
        "queries has %s floats, but %s queries of dimension %s need %s (dimension mismatch?)",
        queries.length, numQueries, dim, expected);
    for (int i = 0; i < queries.length; i++) {
      if (!Float.isFinite(queries[i])) {
        throw new IllegalArgumentException("query " + i / dim + " component " + i % dim + " is "
            + queries[i] + ": queries must be finite");
      }
    }
  }
}
