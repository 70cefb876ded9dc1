package org.ctx4j.benchmarks.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.ctx4j.core.ClipPreprocessor;
import org.ctx4j.core.CropBox;
import org.ctx4j.core.CropStrategy;
import org.ctx4j.core.ImageDecoder;
import org.ctx4j.core.RgbImage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One image's pixel work, single thread: decode a 640×480 JPEG, cut the 15 views (whole, five,
 * nine) and preprocess each to a 15×3×224×224 float tensor. The peer doing the same with Pillow +
 * numpy is {@code benchmarks/peers/preprocess_pillow.py}; results in {@code
 * benchmarks/results/preprocess.md}.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar image.PreprocessBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx1g"})
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 6, time = 2)
public class PreprocessBenchmark {
  private static final int VIEWS = 15;

  private Path jpeg;
  private RgbImage decoded;
  private ClipPreprocessor preprocessor;
  private float[] tensor;

  @Setup
  public void setUp() throws IOException {
    jpeg = Files.createTempFile("ctx4j-bench", ".jpg");
    try (InputStream in =
        Objects.requireNonNull(getClass().getResourceAsStream("/image/bench_640x480.jpg"))) {
      Files.write(jpeg, in.readAllBytes());
    }
    preprocessor = ClipPreprocessor.defaults();
    tensor = new float[VIEWS * preprocessor.outputLength()];
    decoded = ImageDecoder.decode(jpeg);
    // Check the answer: the peer prints the same float64 sum of its float32 tensor.
    double sum = 0;
    for (float v : decodeCropPreprocess()) {
      sum += v;
    }
    System.out.printf(
        Locale.ROOT, "%ncheck: %dx%d, checksum %.6f%n", decoded.width(), decoded.height(), sum);
  }

  @TearDown
  public void tearDown() {
    try {
      Files.deleteIfExists(jpeg);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The whole job for one image: what the peer script times. */
  @Benchmark
  public float[] decodeCropPreprocess() {
    return preprocessAll(ImageDecoder.decode(jpeg));
  }

  /** Decoding only (file read + JPEG decode + RGB). */
  @Benchmark
  public RgbImage decodeOnly() {
    return ImageDecoder.decode(jpeg);
  }

  /** Crops + resize + normalise of an already decoded image. */
  @Benchmark
  public float[] cropPreprocessOnly() {
    return preprocessAll(decoded);
  }

  private float[] preprocessAll(RgbImage image) {
    int view = 0;
    for (CropStrategy strategy : CropStrategy.values()) {
      for (CropBox box : strategy.boxes(image.width(), image.height())) {
        preprocessor.preprocess(image, box, tensor, view++ * preprocessor.outputLength());
      }
    }
    return tensor;
  }
}
