package org.ctx4j.core.retrieval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import org.ctx4j.core.internal.retrieval.BlockTopK;
import org.ctx4j.core.internal.retrieval.KeyChecks;
import org.ctx4j.core.internal.retrieval.PackedFloatPanels;
import org.ctx4j.core.internal.retrieval.PanelCursor;
import org.ctx4j.core.internal.retrieval.PanelLayout;
import org.ctx4j.core.internal.retrieval.PanelScan;
import org.ctx4j.core.internal.retrieval.QueryChecks;
import org.ctx4j.core.internal.retrieval.SearchPool;
import org.ctx4j.core.internal.retrieval.TopKKernel;

/**
 * Approximate top-k as the original's faiss {@code IndexIVFFlat} with an inner-product quantiser:
 * spherical k-means centroids (trained on a seeded sample of at most 256 keys per list), each key
 * stored in the list of its best centroid, and each query scanning its {@code nprobe} best lists.
 * The quantiser and the list scans run on the same kernel as the exact index; queries are grouped
 * per list so each list is scanned once per search, by one task.
 */
final class IvfTopKIndex implements TopKIndex {
  private final int size;
  private final int dim;
  private final int nprobe;
  private final ExactTopKIndex quantizer;
  private final PackedFloatPanels[] lists;
  private final int[][] listIds;
  private final TopKKernel kernel;
  private final SearchPool pool;
  private volatile boolean closed;

  private IvfTopKIndex(int size, int dim, int nprobe, ExactTopKIndex quantizer,
      PackedFloatPanels[] lists, int[][] listIds, TopKKernel kernel, int threads) {
    this.size = size;
    this.dim = dim;
    this.nprobe = nprobe;
    this.quantizer = quantizer;
    this.lists = lists;
    this.listIds = listIds;
    this.kernel = kernel;
    this.pool = new SearchPool(threads);
  }

  /** Trains the quantiser and fills the lists. */
  public static IvfTopKIndex build(float[] keys, int n, int dim, IvfOptions options,
      TopKKernel kernel, int threads) {
    for (int i = 0; i < n * dim; i++) {
      if (!Float.isFinite(keys[i])) {
        throw KeyChecks.nonFinite("heap keys", i / dim, i % dim, keys[i]);
      }
    }
    int nlist = options.effectiveNlist(n);
    int nprobe = options.effectiveNprobe(n);
    float[] centroids = train(keys, n, dim, nlist, options, kernel, threads);
    ExactTopKIndex quantizer =
        new ExactTopKIndex(PackedFloatPanels.pack(centroids, nlist, dim, "centroids"), kernel, threads);
    int[] assignment = quantizer.search(keys, n, 1).ids();
    int[] counts = new int[nlist];
    for (int list : assignment) {
      counts[list]++;
    }
    int[][] listIds = new int[nlist][];
    for (int l = 0; l < nlist; l++) {
      listIds[l] = new int[counts[l]];
    }
    int[] fill = new int[nlist];
    for (int key = 0; key < n; key++) { // ascending ids within each list
      int list = assignment[key];
      listIds[list][fill[list]++] = key;
    }
    PackedFloatPanels[] lists = new PackedFloatPanels[nlist];
    for (int l = 0; l < nlist; l++) {
      int[] ids = listIds[l];
      float[] rows = new float[ids.length * dim];
      for (int i = 0; i < ids.length; i++) {
        System.arraycopy(keys, ids[i] * dim, rows, i * dim, dim);
      }
      lists[l] = ids.length == 0 ? null : PackedFloatPanels.pack(rows, ids.length, dim, "heap keys");
    }
    return new IvfTopKIndex(n, dim, nprobe, quantizer, lists, listIds, kernel, threads);
  }

  private static float[] train(float[] keys, int n, int dim, int nlist, IvfOptions options,
      TopKKernel kernel, int threads) {
    Random random = new Random(options.seed());
    int sampleSize = (int) Math.min(n, (long) nlist * options.maxTrainingPointsPerList());
    int[] order = new int[n];
    Arrays.setAll(order, i -> i);
    for (int i = 0; i < sampleSize; i++) { // partial Fisher–Yates: a seeded sample without repeats
      int j = i + random.nextInt(n - i);
      int tmp = order[i];
      order[i] = order[j];
      order[j] = tmp;
    }
    float[] sample = new float[sampleSize * dim];
    for (int i = 0; i < sampleSize; i++) {
      System.arraycopy(keys, order[i] * dim, sample, i * dim, dim);
    }
    float[] centroids = Arrays.copyOf(sample, nlist * dim); // the first nlist sampled keys
    double[] sums = new double[nlist * dim];
    int[] counts = new int[nlist];
    for (int iteration = 0; iteration < options.iterations(); iteration++) {
      int[] assignment;
      try (ExactTopKIndex index = new ExactTopKIndex(
          PackedFloatPanels.pack(centroids, nlist, dim, "centroids"), kernel, threads)) {
        assignment = index.search(sample, sampleSize, 1).ids();
      }
      Arrays.fill(sums, 0);
      Arrays.fill(counts, 0);
      for (int i = 0; i < sampleSize; i++) {
        int c = assignment[i];
        counts[c]++;
        for (int p = 0; p < dim; p++) {
          sums[c * dim + p] += sample[i * dim + p];
        }
      }
      for (int c = 0; c < nlist; c++) {
        if (counts[c] == 0) { // empty list: restart it at a random sample point
          System.arraycopy(sample, random.nextInt(sampleSize) * dim, centroids, c * dim, dim);
          continue;
        }
        double norm = 0;
        for (int p = 0; p < dim; p++) {
          double v = sums[c * dim + p] / counts[c];
          sums[c * dim + p] = v;
          norm += v * v;
        }
        double scale = norm > 0 ? 1 / Math.sqrt(norm) : 1;
        for (int p = 0; p < dim; p++) {
          centroids[c * dim + p] = (float) (sums[c * dim + p] * scale);
        }
      }
    }
    return centroids;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public int dim() {
    return dim;
  }

  /** Number of lists. */
  public int nlist() {
    return lists.length;
  }

  public int nprobe() {
    return nprobe;
  }

  @Override
  public TopKResult search(float[] queries, int numQueries, int k) {
    if (closed) {
      throw new IllegalStateException("IVF index is closed");
    }
    QueryChecks.check(queries, numQueries, dim, k, size);
    int[] probes = quantizer.search(queries, numQueries, nprobe).ids();
    int nlist = lists.length;
    int[] perList = new int[nlist];
    for (int list : probes) {
      perList[list]++;
    }
    int[][] listQueries = new int[nlist][];
    for (int l = 0; l < nlist; l++) {
      listQueries[l] = new int[perList[l]];
    }
    int[] fill = new int[nlist];
    for (int q = 0; q < numQueries; q++) {
      for (int j = 0; j < nprobe; j++) {
        int list = probes[q * nprobe + j];
        listQueries[list][fill[list]++] = q;
      }
    }
    List<Callable<BlockTopK>> tasks = new ArrayList<>();
    List<int[]> taskQueries = new ArrayList<>();
    for (int l = 0; l < nlist; l++) {
      int[] qs = listQueries[l];
      if (qs.length == 0 || lists[l] == null) {
        continue;
      }
      PackedFloatPanels keys = lists[l];
      int[] ids = listIds[l];
      taskQueries.add(qs);
      tasks.add(() -> {
        float[] gathered = new float[qs.length * dim];
        for (int i = 0; i < qs.length; i++) {
          System.arraycopy(queries, qs[i] * dim, gathered, i * dim, dim);
        }
        float[] packed = PanelLayout.packQueries(gathered, 0, qs.length, dim);
        BlockTopK topK = new BlockTopK(qs.length, k, ids);
        PanelScan.scan(kernel, keys, 0, keys.panelCount(), packed, topK, new PanelCursor(dim));
        return topK;
      });
    }
    List<BlockTopK> results = pool.runAll(tasks);
    BlockTopK all = new BlockTopK(numQueries, k, null);
    for (int t = 0; t < results.size(); t++) {
      results.get(t).mergeInto(all, taskQueries.get(t));
    }
    int[] ids = new int[numQueries * k];
    float[] scores = new float[numQueries * k];
    for (int q = 0; q < numQueries; q++) {
      int written = all.drainSorted(q, ids, scores, q * k);
      Arrays.fill(ids, q * k + written, (q + 1) * k, -1);
      Arrays.fill(scores, q * k + written, (q + 1) * k, Float.NEGATIVE_INFINITY);
    }
    return new TopKResult(numQueries, k, ids, scores);
  }

  @Override
  public void close() {
    closed = true;
    pool.close();
    quantizer.close();
  }
}
