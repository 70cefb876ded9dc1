package org.ctx4j.benchmarks.clip;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.ctx4j.clip.ClipModel;
import org.ctx4j.clip.ClipOptions;
import org.ctx4j.core.ImageEncoder;
import org.ctx4j.core.TextEncoder;
import org.ctx4j.testing.TinyClipModels;
import org.ctx4j.testing.TinyClipSpec;
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
 * CLIP towers at full ViT-B/32 size (random weights, same FLOPs as openai/clip-vit-base-patch32)
 * on DJL's PyTorch engine: one op = one batch, so images/s (texts/s) = ops/s × batch. The peer is
 * {@code benchmarks/peers/clip_torch.py} (PyTorch eager in Python, same threads, same batch).
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar ClipEncodeBenchmark -p batch=8
 * </pre>
 *
 * <p>The model directory is generated once into {@code
 * ${java.io.tmpdir}/ctx4j-bench/vit-b32-clip-vocab} (about 600 MB, with CLIP's real vocabulary
 * from {@code shared/data/clip-vocab} when found) and reused; {@code -Dctx4j.bench.clipModel=DIR}
 * points at another (e.g. real weights). Add {@code -p texts=uniform} for equal-length texts.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Fork(
    value = 1,
    jvmArgsAppend = {
      "-Xmx3g", "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_interop_threads=1"
    })
@Warmup(iterations = 2, time = 10)
@Measurement(iterations = 3, time = 20)
public class ClipEncodeBenchmark {

  /** Images or texts per forward pass. */
  @Param({"8"})
  public int batch;

  /** {@code auto} (GPU when the engine sees one), {@code cpu} or {@code gpu}. */
  @Param({"auto"})
  public String device;

  /** FP32, FP16 or BF16 (the latter two for GPUs). */
  @Param({"FP32"})
  public String precision;

  /**
   * {@code mixed}: the 8 phrases below in turn (4 to 7 tokens, as in a Visual Genome batch), so
   * padding to the longest would cost 7 tokens a text where packing costs 5.25; {@code uniform}:
   * one 5-token phrase throughout, where packing saves nothing.
   */
  @Param({"mixed"})
  public String texts;

  static final String UNIFORM_PHRASE = "man riding horse";

  /** Visual Genome-like phrases of 4 to 7 tokens, used in turn as the benchmark texts. */
  public static final String[] PHRASES = {
    "white dog", "man riding horse", "red car on the street", "tall tree", "a photo of a cat",
    "wooden table next to window", "blue sky", "green grass"
  };

  private ClipModel model;
  private ImageEncoder images;
  private TextEncoder textEncoder;
  private float[] pixels;
  private List<String> phrases;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
      System.setProperty("ai.djl.pytorch.num_threads", "2");
    }
    ClipOptions.Builder options =
        ClipOptions.builder()
            .batchSize(batch)
            .precision(ClipOptions.Precision.valueOf(precision));
    if (!device.equals("auto")) {
      options.device(Device.fromName(device));
    }
    model = ClipModel.load(modelDir(), options.build());
    images = model.imageEncoder();
    textEncoder = model.textEncoder();
    int size = images.inputSize();
    pixels = new float[batch * 3 * size * size];
    Random random = new Random(0);
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (float) random.nextGaussian();
    }
    if (!texts.equals("mixed") && !texts.equals("uniform")) {
      throw new IllegalArgumentException("texts (" + texts + ") must be mixed or uniform");
    }
    phrases = new ArrayList<>();
    for (int i = 0; i < batch; i++) {
      phrases.add(texts.equals("uniform") ? UNIFORM_PHRASE : PHRASES[i % PHRASES.length]);
    }
    int tokens = 0;
    int longest = 0;
    for (String p : phrases) {
      int n = model.tokenizer().encode(p).length;
      tokens += n;
      longest = Math.max(longest, n);
    }
    // The peer assumes one token per word plus start and end, which holds with CLIP's real
    // vocabulary; print what ours encodes so that a log shows both did the same work.
    System.out.printf("# %d texts: %d tokens, the longest %d (padded: %d)%n",
        batch, tokens, longest, batch * longest);
    // Check the answer once: unit-length embeddings.
    float[] e = images.encode(pixels, 1).embeddings();
    double norm = 0;
    for (float v : e) {
      norm += v * v;
    }
    if (Math.abs(Math.sqrt(norm) - 1) > 1e-2) {
      throw new IllegalStateException("embedding norm " + Math.sqrt(norm));
    }
  }

  /** The generated ViT-B/32-size checkpoint (written on first use), shared with the peers. */
  public static Path modelDir() throws IOException {
    String given = System.getProperty("ctx4j.bench.clipModel");
    if (given != null) {
      return Paths.get(given);
    }
    Path vocabulary = realVocabulary();
    Path dir = Paths.get(System.getProperty("java.io.tmpdir"), "ctx4j-bench",
        vocabulary != null ? "vit-b32-clip-vocab" : "vit-b32");
    Path done = dir.resolve(".complete");
    if (!Files.exists(done)) {
      TinyClipSpec spec = TinyClipSpec.vitB32();
      TinyClipModels.write(dir, vocabulary != null ? spec.withVocabulary(vocabulary) : spec, 1);
      Files.createFile(done);
    }
    return dir;
  }

  /**
   * CLIP's real vocabulary ({@code shared/data/clip-vocab} above the working directory, or
   * {@code -Dctx4j.bench.vocab=DIR}), so that phrases tokenize as with the real model (and as the
   * peer assumes); null when absent: the generated vocabulary splits words into more tokens.
   */
  private static Path realVocabulary() {
    String given = System.getProperty("ctx4j.bench.vocab");
    if (given != null) {
      return Paths.get(given);
    }
    for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("shared/data/clip-vocab");
      if (Files.isRegularFile(candidate.resolve("vocab.json"))
          && Files.isRegularFile(candidate.resolve("merges.txt"))) {
        return candidate;
      }
    }
    System.out.println("# real CLIP vocabulary not found: texts tokenize longer than the peer's");
    return null;
  }

  @Benchmark
  public ImageEncoder.ImageEncoding visionTower() {
    return images.encode(pixels, batch);
  }

  @Benchmark
  public TextEncoder.TextEncoding textTower() {
    return textEncoder.encode(phrases);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    model.close();
  }
}
