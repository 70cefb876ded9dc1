package org.ctx4j.benchmarks.hdf5read;

import io.jhdf.HdfFile;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.ctx4j.core.TextualContext;
import org.ctx4j.core.TopKTexts;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Random {@code topK} lookups on a big txt_ctx written by h5py the way the original code writes it
 * (make it with {@code benchmarks/peers/hdf5_read_h5py.py make FILE 123287}; the peer's {@code
 * bench} mode does the same lookups with h5py). Sample mode: JMH reports the latency distribution
 * (p0.50 is the median per lookup).
 *
 * <pre>
 * java -Dctx4j.bench.txt=/tmp/hdf5read-bench/txt_ctx_123287_d8.hdf5 \
 *      -jar benchmarks/target/benchmarks.jar hdf5read
 * </pre>
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class TextualContextReadBenchmark {
  private static final List<String> CROPS = List.of("whole", "five", "nine");
  private static final int[] COUNTS = {1, 5, 9};

  /** The open file shared by all benchmark threads. */
  @State(Scope.Benchmark)
  public static class OpenFile {
    Path path;
    TextualContext txt;
    int images;
    int k;

    @Setup(Level.Trial)
    public void open() {
      path = Path.of(System.getProperty("ctx4j.bench.txt", "/tmp/hdf5read-bench/txt_ctx_123287_d8.hdf5"));
      txt = TextualContext.open(path);
      // ids are 1..N in the generated file; reading them all once also checks that
      long[] ids = txt.ids();
      images = ids.length;
      if (ids[0] != 1 || ids[images - 1] != images) {
        throw new IllegalStateException("expected ids 1.." + images + " in " + path);
      }
      k = txt.k();
    }

    @TearDown(Level.Trial)
    public void close() {
      txt.close();
    }
  }

  /** Each thread's own random query stream (seeded, so every run asks the same). */
  @State(Scope.Thread)
  public static class Queries {
    SplittableRandom random;

    @Setup(Level.Trial)
    public void seed() {
      random = new SplittableRandom(Thread.currentThread().getId() * 31 + 1);
    }
  }

  @Benchmark
  @Threads(1)
  public TopKTexts topK1Thread(OpenFile f, Queries q) {
    return lookup(f, q);
  }

  @Benchmark
  @Threads(8)
  public TopKTexts topK8Threads(OpenFile f, Queries q) {
    return lookup(f, q);
  }

  private static TopKTexts lookup(OpenFile f, Queries q) {
    int c = q.random.nextInt(3);
    return f.txt.topK(
        1 + q.random.nextInt(f.images), CROPS.get(c), q.random.nextInt(COUNTS[c]), 1 + q.random.nextInt(f.k));
  }

  /** The original trainer's path without preload: open, one lookup, close. */
  @Benchmark
  @Threads(1)
  public TopKTexts openLookupClose(OpenFile f, Queries q) {
    try (TextualContext txt = TextualContext.open(f.path)) {
      int c = q.random.nextInt(3);
      return txt.topK(1 + q.random.nextInt(f.images), CROPS.get(c), q.random.nextInt(COUNTS[c]), 4);
    }
  }

  /** Opening alone (superblock, root attributes, the first image's crop shapes). */
  @Benchmark
  @Threads(1)
  public int openClose(OpenFile f) {
    try (TextualContext txt = TextualContext.open(f.path)) {
      return txt.dim();
    }
  }

  /** Listing all image ids (reads the whole root group index once). */
  @Benchmark
  @Threads(1)
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Measurement(iterations = 5)
  @Warmup(iterations = 2)
  public long[] openAndListIds(OpenFile f) {
    try (TextualContext txt = TextualContext.open(f.path)) {
      return txt.ids();
    }
  }

  /** Plain jhdf on the same lookups, for the record: why the direct reader exists. */
  @State(Scope.Benchmark)
  public static class JhdfFile {
    HdfFile hdf;

    @Setup(Level.Trial)
    public void open(OpenFile f) {
      hdf = new HdfFile(f.path);
    }

    @TearDown(Level.Trial)
    public void close() {
      hdf.close();
    }
  }

  @Benchmark
  @Threads(1)
  public void jhdfTopK1Thread(OpenFile f, JhdfFile j, Queries q, Blackhole bh) {
    int c = q.random.nextInt(3);
    String group = (1 + q.random.nextInt(f.images)) + "/" + CROPS.get(c) + "/";
    bh.consume(j.hdf.getDatasetByPath(group + "features").getData());
    bh.consume(j.hdf.getDatasetByPath(group + "scores").getData());
    bh.consume(j.hdf.getDatasetByPath(group + "texts").getData());
  }

  /** First lookup on a freshly opened jhdf file (loads the root group's members). */
  @Benchmark
  @Threads(1)
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Measurement(iterations = 3)
  @Warmup(iterations = 1)
  public Object jhdfOpenLookupClose(OpenFile f) {
    try (HdfFile hdf = new HdfFile(f.path)) {
      return hdf.getDatasetByPath("531/five/scores").getData();
    }
  }
}
