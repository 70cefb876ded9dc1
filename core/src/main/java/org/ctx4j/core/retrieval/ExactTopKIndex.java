package org.ctx4j.core.retrieval;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.ctx4j.Ctx4jException;
import org.ctx4j.core.internal.retrieval.BlockTopK;
import org.ctx4j.core.internal.retrieval.KeyPanels;
import org.ctx4j.core.internal.retrieval.PanelCursor;
import org.ctx4j.core.internal.retrieval.PanelLayout;
import org.ctx4j.core.internal.retrieval.PanelScan;
import org.ctx4j.core.internal.retrieval.QueryChecks;
import org.ctx4j.core.internal.retrieval.SearchPool;
import org.ctx4j.core.internal.retrieval.TopKKernel;

/**
 * Exact top-k by brute force: queries are packed in blocks of {@value #QUERIES_PER_BLOCK}, keys
 * split into shards only when there are too few blocks to keep every thread busy, and each (block,
 * shard) task runs the kernel over its panels with its own selection state. Shards of a block are
 * merged under the total order of {@link BlockTopK}, so results do not depend on the thread count.
 * The only per-task memory is the packed queries, one panel of scratch and k results per query:
 * never a score row.
 */
final class ExactTopKIndex implements TopKIndex {
  static final int QUERIES_PER_BLOCK = 256;

  private final KeyPanels keys;
  private final TopKKernel kernel;
  private final SearchPool pool;
  private volatile boolean closed;

  public ExactTopKIndex(KeyPanels keys, TopKKernel kernel, int threads) {
    this.keys = keys;
    this.kernel = kernel;
    this.pool = new SearchPool(threads);
  }

  @Override
  public int size() {
    return keys.size();
  }

  @Override
  public int dim() {
    return keys.dim();
  }

  public TopKKernel kernel() {
    return kernel;
  }

  public KeyPanels keys() {
    return keys;
  }

  @Override
  public TopKResult search(float[] queries, int numQueries, int k) {
    if (closed) {
      throw new IllegalStateException("index over " + keys.source() + " is closed");
    }
    int dim = keys.dim();
    QueryChecks.check(queries, numQueries, dim, k, keys.size());
    int blocks = (numQueries + QUERIES_PER_BLOCK - 1) / QUERIES_PER_BLOCK;
    int panels = keys.panelCount();
    int wanted = 2 * pool.threads();
    int shards = blocks >= wanted || blocks == 0 ? 1 : Math.min(panels, (wanted + blocks - 1) / blocks);
    List<Callable<BlockTopK>> tasks = new ArrayList<>(blocks * shards);
    for (int b = 0; b < blocks; b++) {
      int first = b * QUERIES_PER_BLOCK;
      int count = Math.min(QUERIES_PER_BLOCK, numQueries - first);
      float[] packed = PanelLayout.packQueries(queries, first, count, dim);
      for (int s = 0; s < shards; s++) {
        int firstPanel = (int) ((long) panels * s / shards);
        int endPanel = (int) ((long) panels * (s + 1) / shards);
        tasks.add(() -> {
          BlockTopK topK = new BlockTopK(count, k, null);
          PanelScan.scan(kernel, keys, firstPanel, endPanel, packed, topK, new PanelCursor(dim));
          return topK;
        });
      }
    }
    List<BlockTopK> results = pool.runAll(tasks);
    int[] ids = new int[numQueries * k];
    float[] scores = new float[numQueries * k];
    for (int b = 0; b < blocks; b++) {
      BlockTopK merged = results.get(b * shards);
      for (int s = 1; s < shards; s++) {
        merged.mergeFrom(results.get(b * shards + s));
      }
      int first = b * QUERIES_PER_BLOCK;
      for (int q = 0; q < merged.queries(); q++) {
        int written = merged.drainSorted(q, ids, scores, (first + q) * k);
        if (written < k) {
          throw new Ctx4jException("query " + (first + q) + ": only " + written + " of " + k
              + " scores are comparable; query or key magnitudes overflow float32 (NaN scores)");
        }
      }
    }
    return new TopKResult(numQueries, k, ids, scores);
  }

  @Override
  public void close() {
    closed = true;
    pool.close();
    keys.close();
  }
}
