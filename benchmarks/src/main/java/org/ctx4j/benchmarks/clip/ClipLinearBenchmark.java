package org.ctx4j.benchmarks.clip;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import java.util.concurrent.TimeUnit;
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
 * One {@code linear} (x·Wᵀ + b) of the shapes that dominate the CLIP towers, through DJL's
 * libtorch: explains the tower figures, since 85% of the text tower's samples are in linear. The
 * peer is {@code benchmarks/peers/clip_gemm_torch.py}. GFLOP/s = ops/s × 2·m·k·n / 1e9.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar ClipLinearBenchmark -p threads=1
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-Dai.djl.offline=true"})
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
public class ClipLinearBenchmark {

  /** m x k x n: text fc1 at batch 8 (~7 tokens), vision fc1 at batch 8 (50 tokens). */
  @Param({"56x512x2048", "400x768x3072"})
  public String shape;

  /** Intra-op threads (read once by the engine, so one value per fork). */
  @Param({"1"})
  public int threads;

  private NDManager manager;
  private NDArray x;
  private NDArray w;
  private NDArray b;

  @Setup(Level.Trial)
  public void setUp() {
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
    String[] mkn = shape.split("x");
    long m = Long.parseLong(mkn[0]);
    long k = Long.parseLong(mkn[1]);
    long n = Long.parseLong(mkn[2]);
    manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
    x = manager.randomNormal(new Shape(m, k));
    w = manager.randomNormal(new Shape(n, k));
    b = manager.randomNormal(new Shape(n));
  }

  @Benchmark
  public float linear() {
    try (NDArray y = Linear.linear(x, w, b).singletonOrThrow()) {
      return y.getFloat(0, 0);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    manager.close();
  }
}
