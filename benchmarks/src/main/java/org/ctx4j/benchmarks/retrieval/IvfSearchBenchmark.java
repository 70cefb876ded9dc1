package org.ctx4j.benchmarks.retrieval;

import java.util.concurrent.TimeUnit;
import org.ctx4j.core.retrieval.IvfOptions;
import org.ctx4j.core.retrieval.TopKIndex;
import org.ctx4j.core.retrieval.TopKIndexes;
import org.ctx4j.core.retrieval.TopKResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The approximate index with the original's settings (nlist = round(8·√N), nprobe = nlist / 10):
 * time per search of q queries. Setup prints the build time and recall@16 against the exact index
 * ("# ivf …" line; the side-by-side script records it).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class IvfSearchBenchmark {
  static final int DIM = 512;
  static final int K = 16;

  @Param({"100000"})
  public int n;

  @Param({"4096"})
  public int q;

  private TopKIndex index;
  private float[] queries;

  @Setup(Level.Trial)
  public void setUp() {
    float[] keys = BenchmarkData.keys(n, DIM);
    queries = BenchmarkData.queries(q, DIM);
    long start = System.nanoTime();
    index = TopKIndexes.ivf(keys, n, DIM, IvfOptions.defaults());
    double buildSeconds = (System.nanoTime() - start) / 1e9;
    TopKResult approximate = index.search(queries, q, K);
    TopKResult exact;
    try (TopKIndex exactIndex = TopKIndexes.exact(keys, n, DIM)) {
      exact = exactIndex.search(queries, q, K);
    }
    System.out.printf("# ivf n=%d nlist=%d nprobe=%d build_s=%.2f recall_at_16=%.4f kernel=%s%n",
        n, IvfOptions.defaults().effectiveNlist(n), IvfOptions.defaults().effectiveNprobe(n),
        buildSeconds, IvfRecallMain.recall(approximate, exact), TopKIndexes.kernelName());
  }

  @Benchmark
  public TopKResult search() {
    return index.search(queries, q, K);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    index.close();
  }
}
