package org.ctx4j.clip;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.jni.JniUtils;
import com.google.common.base.Preconditions;
import com.google.common.base.Suppliers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.ctx4j.ClipModelException;
import org.ctx4j.clip.internal.CpuPool;
import org.ctx4j.clip.internal.GemmKernel;
import org.ctx4j.clip.internal.JavaRoute;
import org.ctx4j.clip.internal.ModelIdentity;
import org.ctx4j.core.ClipPreprocessor;
import org.ctx4j.core.ContentDigest;
import org.ctx4j.core.ImageEncoder;
import org.ctx4j.core.TextEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A CLIP model from a HuggingFace model directory ({@code config.json}, {@code model.safetensors},
 * {@code vocab.json} + {@code merges.txt} or {@code tokenizer.json}), run on DJL's PyTorch engine
 * or, on the CPU, on ctx4j's own Java route (Vector API GEMM; {@link ClipOptions.Backend}).
 *
 * <p>{@link #load} reads the config and tokenizer and checks every tensor's name and shape, so a
 * bad directory fails at once; each tower's weights are read when its encoder is first asked for
 * (building a caption database needs only the text tower). Nothing is downloaded: for the PYTORCH
 * backend the engine's natives must be on the classpath ({@code
 * ai.djl.pytorch:pytorch-native-cpu} with classifier {@code linux-x86_64} plus {@code
 * pytorch-jni}, or a {@code pytorch-native-cu*} for GPUs); the Java route needs none.
 *
 * <p>Ownership: the model owns both encoders. Closing an encoder frees its tower; closing the model
 * frees both. Not thread-safe.
 */
public final class ClipModel implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClipModel.class);

  /** The weights file name HuggingFace uses. */
  public static final String WEIGHTS_FILE = "model.safetensors";

  private final Path dir;
  private final Path weights;
  private final ClipConfig config;
  private final ClipTokenizer tokenizer;
  private final Device device;
  private final ClipOptions.Precision precision;
  private final int batchSize;
  private final String modelId;
  private final ModelIdentity identity;
  private final ModelIdentity textIdentity;
  private final ClipOptions.Backend backend;
  private final GemmKernel kernel;
  private final int threads;
  private CpuPool pool;
  private ImageEncoder imageEncoder;
  private TextEncoder textEncoder;
  private boolean closed;

  /** Where the towers run: the device and the resolved backend (never AUTO). */
  private record Route(Device device, ClipOptions.Backend backend) {}

  private ClipModel(
      Path dir, ClipConfig config, ClipTokenizer tokenizer, Route route, ClipOptions options) {
    Device device = route.device();
    this.backend = route.backend();
    this.kernel =
        backend == ClipOptions.Backend.JAVA || backend == ClipOptions.Backend.ONNX
            ? JavaRoute.kernel() : null;
    this.threads =
        options.threads() > 0 ? options.threads() : Runtime.getRuntime().availableProcessors();
    this.dir = dir;
    this.weights = dir.resolve(WEIGHTS_FILE);
    this.config = config;
    this.tokenizer = tokenizer;
    this.device = device;
    this.precision = options.precision();
    this.batchSize =
        options.batchSize() > 0
            ? options.batchSize()
            : device.isGpu() ? ClipOptions.DEFAULT_GPU_BATCH : ClipOptions.DEFAULT_CPU_BATCH;
    Path name = dir.toAbsolutePath().normalize().getFileName();
    this.modelId = name == null ? dir.toString() : name.toString();
    Supplier<String> digest = Suppliers.memoize(() -> ContentDigest.ofFiles(identityFiles(dir)));
    String javaNumerics =
        kernel == null ? null
            : String.format(Locale.ROOT, "%s (%s GEMM) on cpu, %s", JavaRoute.NUMERICS,
                kernel.name(), precision);
    this.identity =
        new ModelIdentity(
            modelId,
            digest,
            backend == ClipOptions.Backend.ONNX
                ? String.format(Locale.ROOT, "onnxruntime %s (fixed batch %d, %d threads) on cpu,"
                    + " %s", OnnxImageEncoder.runtimeVersion(), batchSize, threads, precision)
                : kernel != null
                ? javaNumerics
                : String.format(
                    Locale.ROOT, "%s %s on %s, %s, %d threads", ClipTowers.ENGINE,
                    Engine.getEngine(ClipTowers.ENGINE).getVersion(), device, precision,
                    device.isGpu() ? 0 : JniUtils.getNumThreads()));
    // The ONNX backend's text tower is the Java route's: its caption db is the JAVA backend's.
    this.textIdentity =
        backend == ClipOptions.Backend.ONNX
            ? new ModelIdentity(modelId, digest, javaNumerics) : identity;
  }

  /**
   * The files that determine the model's outputs: weights, config, tokenizer and preprocessor
   * files (absent ones are recorded as absent).
   */
  static List<Path> identityFiles(Path dir) {
    return List.of(
            "config.json", WEIGHTS_FILE, "vocab.json", "merges.txt", "tokenizer.json",
            "tokenizer_config.json", "special_tokens_map.json", "preprocessor_config.json")
        .stream()
        .map(dir::resolve)
        .collect(Collectors.toList());
  }

  /**
   * SHA-256 over the model's files ({@link #identityFiles}): what builds record to tell two
   * checkpoints of the same name apart. Computed on first call.
   */
  public String contentDigest() {
    return identity.contentDigest().get();
  }

  /** Loads with {@link ClipOptions#defaults()}: GPU when present, float32. */
  public static ClipModel load(Path hfModelDir) {
    return load(hfModelDir, ClipOptions.defaults());
  }

  /** Loads with explicit device, precision and batch size. */
  public static ClipModel load(Path hfModelDir, ClipOptions options) {
    Preconditions.checkNotNull(hfModelDir, "hfModelDir");
    Preconditions.checkNotNull(options, "options");
    if (!Files.isDirectory(hfModelDir)) {
      throw new ClipModelException(hfModelDir, null, "not a model directory");
    }
    Path weights = hfModelDir.resolve(WEIGHTS_FILE);
    if (!Files.isRegularFile(weights)) {
      throw new ClipModelException(
          weights, null, "no " + WEIGHTS_FILE + " (only safetensors weights are read; convert a"
              + " pytorch_model.bin with transformers' save_pretrained(safe_serialization=True))");
    }
    ClipConfig config = ClipConfig.read(hfModelDir);
    ClipTowers.checkCheckpoint(weights, config);
    ClipTokenizer tokenizer = ClipTokenizer.load(hfModelDir);
    int largestId = Math.max(tokenizer.startId(), tokenizer.endId());
    if (largestId >= config.text().vocabSize()) {
      throw new ClipModelException(
          hfModelDir.resolve(ClipConfig.FILE_NAME), "text_config.vocab_size",
          "the tokenizer's special token id " + largestId + " is outside vocab_size ("
              + config.text().vocabSize() + "): tokenizer files and weights do not match");
    }
    if (tokenizer.contextLength() > config.text().maxPositions()) {
      tokenizer = tokenizer.withContextLength(config.text().maxPositions());
    }
    tokenizer = tokenizer.withLongTexts(options.longTexts());
    Route route = resolveRoute(hfModelDir, options);
    ClipModel model = new ClipModel(hfModelDir, config, tokenizer, route, options);
    LOG.info("CLIP model {} on {} ({} backend, {}, batch {})", model.modelId, route.device(),
        route.backend(), options.precision(), model.batchSize);
    return model;
  }

  /**
   * JAVA when asked (refused, naming the setting, on a GPU, below FP32 or without the Vector API
   * module); AUTO picks JAVA for an FP32 CPU run when the module is present; else PYTORCH.
   */
  private static Route resolveRoute(Path dir, ClipOptions options) {
    ClipOptions.Backend backend = options.backend();
    boolean fp32 = options.precision() == ClipOptions.Precision.FP32;
    Optional<Device> asked = options.device();
    if (backend == ClipOptions.Backend.JAVA || backend == ClipOptions.Backend.ONNX) {
      if (asked.isPresent() && asked.get().isGpu()) {
        throw new ClipModelException(dir, null, "backend " + backend + " runs on the CPU only;"
            + " device " + asked.get() + " needs backend PYTORCH or AUTO");
      }
      if (!fp32) {
        throw new ClipModelException(dir, null, "backend " + backend + " computes in FP32 only;"
            + " precision " + options.precision() + " needs backend PYTORCH or AUTO");
      }
      if (!JavaRoute.available()) {
        throw new ClipModelException(dir, null, "backend " + backend + " needs the Vector API:"
            + " run java with --add-modules jdk.incubator.vector (Java 17+), or use backend"
            + " PYTORCH or AUTO");
      }
      if (backend == ClipOptions.Backend.ONNX && !onnxRuntimePresent()) {
        throw new ClipModelException(dir, null, "backend ONNX needs onnxruntime: put the"
            + " com.microsoft.onnxruntime:onnxruntime artifact on the classpath, or use backend"
            + " JAVA, PYTORCH or AUTO");
      }
      return new Route(Device.cpu(), backend);
    }
    if (backend == ClipOptions.Backend.AUTO && fp32 && JavaRoute.available()) {
      boolean cpu = asked.map(d -> !d.isGpu()).orElseGet(() -> !engineSeesGpu());
      if (cpu) {
        return new Route(Device.cpu(), ClipOptions.Backend.JAVA);
      }
    }
    return new Route(resolveDevice(dir, options), ClipOptions.Backend.PYTORCH);
  }

  private static boolean onnxRuntimePresent() {
    try {
      Class.forName("ai.onnxruntime.OrtEnvironment", false, ClipModel.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  private static boolean engineSeesGpu() {
    try {
      return Engine.getEngine(ClipTowers.ENGINE).getGpuCount() > 0;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static Device resolveDevice(Path dir, ClipOptions options) {
    Engine engine;
    try {
      engine = Engine.getEngine(ClipTowers.ENGINE);
    } catch (RuntimeException e) {
      throw new ClipModelException(
          dir, null, "DJL's PyTorch engine is not available (put ai.djl.pytorch:pytorch-native-cpu"
              + " classifier linux-x86_64 and pytorch-jni, or a pytorch-native-cu* artifact, on the"
              + " classpath): " + e.getMessage(), e);
    }
    Device device = options.device().orElse(engine.getGpuCount() > 0 ? Device.gpu() : Device.cpu());
    if (device.isGpu() && device.getDeviceId() >= engine.getGpuCount()) {
      throw new ClipModelException(
          dir, null, "device " + device + " asked for, but the engine sees "
              + engine.getGpuCount() + " GPU(s)");
    }
    if (!device.isGpu() && options.precision() != ClipOptions.Precision.FP32) {
      LOG.warn("{} on the CPU is slow; FP32 is faster there", options.precision());
    }
    return device;
  }

  /**
   * The vision tower as an {@link ImageEncoder}: loaded on first call, the same instance after.
   * The model owns it: {@link #close()} closes it. Closing it yourself first is allowed (it frees
   * the tower's native memory); the next call then loads a new one.
   *
   * @throws IllegalStateException if this model is closed
   */
  public ImageEncoder imageEncoder() {
    Preconditions.checkState(!closed, "CLIP model %s is closed", modelId);
    if (imageEncoder == null || isClosed(imageEncoder)) {
      imageEncoder =
          backend == ClipOptions.Backend.ONNX
              ? ClipTowers.onnxImageEncoder(weights, config, batchSize, threads, identity)
              : kernel != null
              ? ClipTowers.javaImageEncoder(weights, config, kernel, pool(), batchSize, identity)
              : ClipTowers.imageEncoder(weights, config, device, dataType(), batchSize, identity);
    }
    return imageEncoder;
  }

  /**
   * The text tower as a {@link TextEncoder}, owned by the model like {@link #imageEncoder()}.
   *
   * @throws IllegalStateException if this model is closed
   */
  public TextEncoder textEncoder() {
    Preconditions.checkState(!closed, "CLIP model %s is closed", modelId);
    if (textEncoder == null || isClosed(textEncoder)) {
      textEncoder =
          kernel != null
              ? ClipTowers.javaTextEncoder(
                  weights, config, tokenizer, kernel, pool(), batchSize, textIdentity)
              : ClipTowers.textEncoder(
                  weights, config, tokenizer, device, dataType(), batchSize, identity);
    }
    return textEncoder;
  }

  private static boolean isClosed(Object encoder) {
    return ((TowerScope) encoder).isClosed();
  }

  private CpuPool pool() {
    if (pool == null) {
      pool = new CpuPool(threads);
    }
    return pool;
  }

  /**
   * The code that runs the towers: {@link ClipOptions.Backend#JAVA}, {@code ONNX} or {@code
   * PYTORCH} (never {@code AUTO}).
   */
  public ClipOptions.Backend backend() {
    return backend;
  }

  private DataType dataType() {
    switch (precision) {
      case FP16:
        return DataType.FLOAT16;
      case BF16:
        return DataType.BFLOAT16;
      default:
        return DataType.FLOAT32;
    }
  }

  /**
   * The pixel preprocessing the model directory declares ({@code preprocessor_config.json}), or
   * CLIP ViT-B/32's when it has none: what a build must feed {@link #imageEncoder()}.
   */
  public ClipPreprocessor preprocessor() {
    return ClipPreprocessor.forModel(dir);
  }

  /** The parsed {@code config.json}. */
  public ClipConfig config() {
    return config;
  }

  /** The model's tokenizer (context capped at the text tower's positions). */
  public ClipTokenizer tokenizer() {
    return tokenizer;
  }

  /** The device the towers run on. */
  public Device device() {
    return device;
  }

  /** Most images or texts per forward pass. */
  public int batchSize() {
    return batchSize;
  }

  /** The model directory. */
  public Path directory() {
    return dir;
  }

  /** The directory's name: what provenance attributes record. */
  public String modelId() {
    return modelId;
  }

  /**
   * Closes the encoders it handed out (each even if another fails) and frees their native memory.
   * Encoders used after this throw {@link IllegalStateException} naming the model. Idempotent.
   */
  @Override
  public void close() {
    closed = true;
    try {
      if (imageEncoder != null) {
        imageEncoder.close();
      }
    } finally {
      try {
        if (textEncoder != null) {
          textEncoder.close();
        }
      } finally {
        if (pool != null) {
          pool.close();
        }
      }
    }
  }
}
