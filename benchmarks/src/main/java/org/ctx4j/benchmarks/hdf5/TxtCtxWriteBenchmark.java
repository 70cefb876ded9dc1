package org.ctx4j.benchmarks.hdf5;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Writing a whole txt_ctx file (whole + five + nine, k = 16) with {@code TextualContextWriter},
 * including finalisation and fsync. One shot = one file; scale {@code images} to see time grow
 * linearly. The h5py peer is {@code benchmarks/peers/hdf5_write_h5py.py} (same data shapes).
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar TxtCtxWriteBenchmark -p images=500,5000</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx512m")
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class TxtCtxWriteBenchmark {
  @Param({"500"})
  public int images;

  @Param({"512"})
  public int dim;

  private Path dir;
  private Path file;

  @Setup(Level.Trial)
  public void createDirectory() throws IOException {
    dir = Files.createTempDirectory("ctx4j-bench");
  }

  @Setup(Level.Iteration)
  public void removeFile() throws IOException {
    file = dir.resolve("txt_ctx.hdf5");
    Files.deleteIfExists(file);
  }

  @Benchmark
  public long writeTxtCtx() throws IOException {
    HdfWriteRun.writeTxt(file, images, 16, dim);
    return Files.size(file);
  }

  @TearDown(Level.Trial)
  public void deleteDirectory() throws IOException {
    Files.deleteIfExists(file);
    Files.deleteIfExists(dir);
  }
}
