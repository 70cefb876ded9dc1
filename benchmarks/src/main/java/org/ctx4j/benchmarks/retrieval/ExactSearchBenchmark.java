package org.ctx4j.benchmarks.retrieval;

import java.nio.file.Path;

import java.util.concurrent.TimeUnit;
import org.ctx4j.core.retrieval.KeyPrecision;
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
 * One exact search of {@code q} queries over {@code n} keys (d = 512, k = 16). Time per search;
 * queries/s = q / time, GFLOP/s = 2·q·n·d / time (the side-by-side script prints both). Scale
 * {@code n} to see time grow linearly, {@code threads} for thread scaling. Run on JDK 25 with
 * {@code --add-modules jdk.incubator.vector} for the SIMD kernel (the fork inherits the flag via
 * {@code -jvmArgsAppend}); the chosen kernel is printed at setup.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class ExactSearchBenchmark {
  static final int DIM = 512;

  @Param({"100000", "1000000"})
  public int n;

  @Param({"4096"})
  public int q;

  @Param({"16"})
  public int k;

  @Param({"FLOAT32"})
  public KeyPrecision precision;

  /**
   * heap (packed copy), mapped (the raw key file, needs -Dctx4j.bench.data) or cached (mapped,
   * with its panel cache file beside it, made on the first trial).
   */
  @Param({"heap"})
  public String storage;

  /** 0 = all processors. */
  @Param({"0"})
  public int threads;

  private TopKIndex index;
  private float[] queries;

  @Setup(Level.Trial)
  public void setUp() {
    int threadCount = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
    TopKIndexes.Builder builder = TopKIndexes.builder().threads(threadCount).precision(precision);
    if (storage.equals("mapped") || storage.equals("cached")) {
      Path file = BenchmarkData.keyFile(n);
      builder.mappedKeys(file, 0, n, DIM);
      if (storage.equals("cached")) {
        builder.panelCache(file.resolveSibling(file.getFileName() + ".panels"));
      }
    } else {
      builder.keys(BenchmarkData.keys(n, DIM), n, DIM);
    }
    index = builder.build();
    queries = BenchmarkData.queries(q, DIM);
    System.out.println("# kernel " + TopKIndexes.kernelName() + ", threads " + threadCount);
  }

  @Benchmark
  public TopKResult search() {
    return index.search(queries, q, k);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    index.close();
  }
}
