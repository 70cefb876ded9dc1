package org.ctx4j.benchmarks.retrieval;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.ctx4j.core.retrieval.IvfOptions;
import org.ctx4j.core.retrieval.TopKIndex;
import org.ctx4j.core.retrieval.TopKIndexes;
import org.ctx4j.core.retrieval.TopKResult;

/**
 * Ours for {@code benchmarks/peers/ivf_clustered.sh}: the IVF index (nlist 2,530) on the data of
 * {@code -Dctx4j.bench.data}, for each nprobe given, queries/s of 4,096 queries per call (median of
 * five after 3 s of warm-up calls) and recall@16 against the exact index; one JSON line per nprobe.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -Dctx4j.bench.data=DIR -cp benchmarks/target/benchmarks.jar \
 *   org.ctx4j.benchmarks.retrieval.IvfRecallMain 8,16,32,64
 * </pre>
 */
public final class IvfRecallMain {
  private static final int N = 100_000;
  private static final int DIM = 512;
  private static final int Q = 4096;
  private static final int K = 16;
  private static final int NLIST = 2530;
  private static final long WARM_UP_NANOS = 3_000_000_000L;

  private IvfRecallMain() {}

  public static void main(String[] args) {
    int[] nprobes = Arrays.stream(args[0].split(",")).mapToInt(Integer::parseInt).toArray();
    float[] keys = BenchmarkData.keys(N, DIM);
    float[] queries = BenchmarkData.queries(Q, DIM);
    TopKResult truth;
    try (TopKIndex exact = TopKIndexes.builder().keys(keys, N, DIM).threads(2).build()) {
      truth = exact.search(queries, Q, K);
    }
    for (int nprobe : nprobes) {
      long start = System.nanoTime();
      IvfOptions options = IvfOptions.defaults().withNlist(NLIST).withNprobe(nprobe);
      try (TopKIndex index =
          TopKIndexes.builder().keys(keys, N, DIM).threads(2).approximate(options).build()) {
        double build = (System.nanoTime() - start) / 1e9;
        // Warm-up by time, not by count: at low nprobe a call takes ~0.1 s, and one call left the
        // first settings measured run before C2 had compiled the list scan (2-3x slower).
        TopKResult found = index.search(queries, Q, K);
        long warm = System.nanoTime();
        do {
          found = index.search(queries, Q, K);
        } while (System.nanoTime() - warm < WARM_UP_NANOS);
        double[] seconds = new double[5];
        for (int i = 0; i < seconds.length; i++) {
          long t0 = System.nanoTime();
          found = index.search(queries, Q, K);
          seconds[i] = (System.nanoTime() - t0) / 1e9;
        }
        Arrays.sort(seconds);
        System.out.printf(
            "{\"side\": \"ctx4j %s\", \"nprobe\": %d, \"build_s\": %.2f, \"qps\": %.1f,"
                + " \"recall\": %.4f}%n",
            TopKIndexes.kernelName(), nprobe, build, Q / seconds[2], recall(found, truth));
      }
    }
  }

  /** Recall@k of {@code found} against {@code truth}, the same queries and k. */
  static double recall(TopKResult found, TopKResult truth) {
    int k = truth.k();
    long hits = 0;
    for (int q = 0; q < truth.numQueries(); q++) {
      Set<Integer> expected = new HashSet<>();
      for (int j = 0; j < k; j++) {
        expected.add(truth.id(q, j));
      }
      for (int j = 0; j < k; j++) {
        hits += expected.contains(found.id(q, j)) ? 1 : 0;
      }
    }
    return hits / (double) ((long) truth.numQueries() * k);
  }
}
