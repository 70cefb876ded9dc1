package org.ctx4j.benchmarks.retrieval;

import java.util.concurrent.TimeUnit;
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
 * The multiply core: 256 queries against 16,384 keys (16 MB, cache-resident), d = 512, k = 16,
 * on {@code threads} threads — GFLOP/s = 2·256·16384·512 / time ≈ 4.295 GFLOP / time. Compare
 * with the sgemm of the same shape in retrieval_faiss.py.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class KernelBenchmark {
  static final int DIM = 512;
  static final int KEYS = 16384;
  static final int QUERIES = 256;

  @Param({"1", "2"})
  public int threads;

  private TopKIndex index;
  private float[] queries;

  @Setup(Level.Trial)
  public void setUp() {
    index = TopKIndexes.builder()
        .keys(BenchmarkData.normalisedGaussians(KEYS, DIM, 1), KEYS, DIM)
        .threads(threads).build();
    queries = BenchmarkData.normalisedGaussians(QUERIES, DIM, 2);
    System.out.println("# kernel " + TopKIndexes.kernelName() + ", threads " + threads);
  }

  @Benchmark
  public TopKResult multiplyAndSelect() {
    return index.search(queries, QUERIES, 16);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    index.close();
  }
}
