package org.ctx4j.benchmarks.retrieval;

import ai.djl.Device;
import java.util.concurrent.TimeUnit;
import org.ctx4j.clip.retrieval.DjlTopKIndex;
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
 * libtorch GEMM + per-block top-k through DJL, same shape as {@link ExactSearchBenchmark}: the
 * alternative kernel the default is chosen against. {@code device=cpu} here; {@code gpu} on a
 * machine with CUDA natives.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class DjlSearchBenchmark {
  static final int DIM = 512;

  @Param({"100000"})
  public int n;

  @Param({"4096"})
  public int q;

  @Param({"cpu"})
  public String device;

  @Param({"16384"})
  public int keysPerBlock;

  private DjlTopKIndex index;
  private float[] queries;

  @Setup(Level.Trial)
  public void setUp() {
    Device target = device.equals("gpu") ? Device.gpu() : Device.cpu();
    index = DjlTopKIndex.create(BenchmarkData.keys(n, DIM), n, DIM, target, keysPerBlock);
    queries = BenchmarkData.queries(q, DIM);
  }

  @Benchmark
  public TopKResult search() {
    return index.search(queries, q, 16);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    index.close();
  }
}
