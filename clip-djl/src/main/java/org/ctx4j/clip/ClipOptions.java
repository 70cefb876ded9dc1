package org.ctx4j.clip;

import ai.djl.Device;
import com.google.common.base.Preconditions;
import java.util.Optional;

/**
 * How to run a {@link ClipModel}: device, precision, batch size, backend and CPU threads. Every
 * setting is optional; {@link #defaults()} picks a GPU when the engine sees one, float32, a batch
 * size suited to the device and, on the CPU, ctx4j's Java route when the JVM has the Vector API
 * module ({@link Backend#AUTO}).
 */
public final class ClipOptions {

  /** Working precision of weights and activations. Outputs are always float32. */
  public enum Precision {
    /** float32: the reference precision; the default. */
    FP32,
    /** float16: for GPUs (about twice the throughput); works but is slow on CPUs. */
    FP16,
    /** bfloat16: for GPUs that support it; coarser than FP16 but with float32's range. */
    BF16
  }

  /** What a text longer than the model's context (77 tokens for CLIP) is encoded as. */
  public enum LongTexts {
    /**
     * Cut to the context with the end token kept last, and pooled there: CLIP's own rule (OpenAI's
     * {@code clip.tokenize(truncate=True)}); the default.
     */
    KEEP_END_TOKEN,
    /**
     * As the original Xmodal-Ctx {@code encode_captions.py} did, to reproduce the paper's caption
     * db bit for bit in meaning: a text of more than 75 ids (context - 2) is cut to its first 75,
     * losing the end token, and pooled where HF CLIP pools, at the highest id, which is then the
     * start token: every such text gets the same feature. Shorter texts (all but a handful of the
     * 2.25M Visual Genome phrases) encode as under {@link #KEEP_END_TOKEN}. Recorded in the
     * text encoder's numerics, so a build never mixes the two.
     */
    AS_XMODAL_CTX
  }

  /** Which code runs the towers. */
  public enum Backend {
    /**
     * {@link #JAVA} on the CPU when the JVM has the {@code jdk.incubator.vector} module and the
     * precision is FP32, else {@link #PYTORCH}. The default.
     */
    AUTO,
    /** DJL's PyTorch engine (libtorch): CPU or GPU, every precision. */
    PYTORCH,
    /**
     * ctx4j's own CPU route: Vector API GEMM and plain Java, FP32 only; needs {@code
     * --add-modules jdk.incubator.vector} on the java command. Faster than libtorch on CPUs.
     */
    JAVA,
    /**
     * The vision tower on onnxruntime's CPU provider (ctx4j writes the checkpoint's ONNX graph at
     * load; needs the {@code com.microsoft.onnxruntime:onnxruntime} artifact on the classpath),
     * the text tower on the {@link #JAVA} route. CPU and FP32 only. The fastest CPU route for
     * images (docs/clip.md).
     */
    ONNX
  }

  /** Default batch on a CPU: large enough to amortise dispatch, small enough for the caches. */
  public static final int DEFAULT_CPU_BATCH = 32;

  /** Default batch on a GPU: fills a modern GPU with ViT-B/32 at fp16. */
  public static final int DEFAULT_GPU_BATCH = 256;

  private final Device device;
  private final Precision precision;
  private final int batchSize;
  private final LongTexts longTexts;
  private final Backend backend;
  private final int threads;

  private ClipOptions(Builder b) {
    this.backend = b.backend;
    this.threads = b.threads;
    this.device = b.device;
    this.precision = b.precision;
    this.batchSize = b.batchSize;
    this.longTexts = b.longTexts;
  }

  /** GPU when the engine sees one, float32, the device's default batch size. */
  public static ClipOptions defaults() {
    return builder().build();
  }

  /** Starts from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The device asked for; empty means GPU 0 when the engine sees one, else the CPU. */
  public Optional<Device> device() {
    return Optional.ofNullable(device);
  }

  /** Working precision. */
  public Precision precision() {
    return precision;
  }

  /**
   * Most images or texts per forward pass (larger calls are split); 0 means the device's default
   * ({@link #DEFAULT_CPU_BATCH} or {@link #DEFAULT_GPU_BATCH}).
   */
  public int batchSize() {
    return batchSize;
  }

  /** The rule for texts longer than the context ({@link LongTexts#KEEP_END_TOKEN} by default). */
  public LongTexts longTexts() {
    return longTexts;
  }

  /** Which code runs the towers (default {@link Backend#AUTO}). */
  public Backend backend() {
    return backend;
  }

  /**
   * Worker threads of the Java CPU route, shared by both towers; 0 means one per available
   * processor. The results do not depend on it.
   */
  public int threads() {
    return threads;
  }

  @Override
  public String toString() {
    return "ClipOptions[device=" + (device == null ? "auto" : device) + ", precision=" + precision
        + ", batchSize=" + (batchSize == 0 ? "auto" : batchSize) + ", backend=" + backend
        + ", threads=" + (threads == 0 ? "auto" : threads) + ", longTexts=" + longTexts + "]";
  }

  /** Builder for {@link ClipOptions}. */
  public static final class Builder {
    private Device device;
    private Precision precision = Precision.FP32;
    private int batchSize;
    private LongTexts longTexts = LongTexts.KEEP_END_TOKEN;
    private Backend backend = Backend.AUTO;
    private int threads;

    private Builder() {}

    /** Which code runs the towers (default {@link Backend#AUTO}). */
    public Builder backend(Backend backend) {
      this.backend = Preconditions.checkNotNull(backend, "backend");
      return this;
    }

    /** Worker threads of the Java CPU route (default: one per available processor). */
    public Builder threads(int threads) {
      Preconditions.checkArgument(threads > 0, "threads (%s) must be > 0", threads);
      this.threads = threads;
      return this;
    }

    /** Runs on {@code device} (e.g. {@code Device.cpu()}, {@code Device.gpu(1)}). */
    public Builder device(Device device) {
      this.device = Preconditions.checkNotNull(device, "device");
      return this;
    }

    /** Working precision (default FP32). */
    public Builder precision(Precision precision) {
      this.precision = Preconditions.checkNotNull(precision, "precision");
      return this;
    }

    /** Most images or texts per forward pass; larger calls are split into chunks of this size. */
    public Builder batchSize(int batchSize) {
      Preconditions.checkArgument(batchSize > 0, "batchSize (%s) must be > 0", batchSize);
      this.batchSize = batchSize;
      return this;
    }

    /** The rule for texts longer than the context (default {@link LongTexts#KEEP_END_TOKEN}). */
    public Builder longTexts(LongTexts longTexts) {
      this.longTexts = Preconditions.checkNotNull(longTexts, "longTexts");
      return this;
    }

    /** The options; every setting left unset keeps its default. */
    public ClipOptions build() {
      return new ClipOptions(this);
    }
  }
}
