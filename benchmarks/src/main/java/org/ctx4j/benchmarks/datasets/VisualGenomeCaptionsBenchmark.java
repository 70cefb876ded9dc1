package org.ctx4j.benchmarks.datasets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.ctx4j.core.dataset.VisualGenomeCaptions;
import org.ctx4j.testing.VisualGenomeGenerator;
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
 * Building the caption database from generated Visual Genome files of {@code images} images
 * (real-size generator: 108,077 images ≈ 1.25 GB). Single shot: the real job runs once. The peer is
 * {@code benchmarks/peers/vg_captions.py} (the original's json.load-based code) on the files in
 * {@code ctx4j.vg.dir} when set, else on a temporary folder kept for it.
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar VisualGenomeCaptionsBenchmark -p
 * images=10000,40000}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
public class VisualGenomeCaptionsBenchmark {
  @Param({"10000", "40000"})
  int images;

  private Path dir;
  private boolean temporary;

  @Setup(Level.Trial)
  public void writeFiles() throws IOException {
    String fixed = System.getProperty("ctx4j.vg.dir");
    temporary = fixed == null;
    dir = temporary ? Files.createTempDirectory("vg-bench") : Path.of(fixed, "images-" + images);
    if (!Files.exists(dir.resolve("relationships.json"))) {
      Files.createDirectories(dir);
      VisualGenomeGenerator.realSize(1)
          .write(dir.resolve("attributes.json"), dir.resolve("relationships.json"), images);
    }
  }

  @Benchmark
  public List<String> build() {
    return VisualGenomeCaptions.build(
        dir.resolve("attributes.json"), dir.resolve("relationships.json"));
  }

  @TearDown(Level.Trial)
  public void deleteFiles() throws IOException {
    if (temporary) {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path file : (Iterable<Path>) files::iterator) {
          Files.delete(file);
        }
      }
      Files.delete(dir);
    }
  }
}
