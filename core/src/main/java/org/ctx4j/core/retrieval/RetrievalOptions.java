package org.ctx4j.core.retrieval;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Objects;
import java.util.Optional;

/**
 * How a build retrieves captions for each view: the index (exact, the default, or IVF with its
 * knobs), the precision its keys are stored in, and the device. Immutable; the {@code with…} and
 * {@code on…} methods return modified copies.
 *
 * <pre>{@code
 * ContextBuilder.forCoco(coco)...
 *     .retrieval(RetrievalOptions.exact().withKeyPrecision(KeyPrecision.FLOAT16))   // half the key memory
 * ContextBuilder.forCoco(coco)...
 *     .retrieval(RetrievalOptions.ivf(IvfOptions.defaults().withNprobe(64)))        // approximate
 * }</pre>
 *
 * <p>Device: by default ({@link #onEncoderDevice()}) the exact index runs where the image encoder
 * runs when that encoder offers an index there (a GPU), else on the CPU; {@link #onCpu()} keeps it
 * on the CPU, {@link #on(DeviceIndexFactory)} names a device index. IVF and half-precision keys
 * are CPU indexes. Every choice is recorded in the build's settings: a resume with another one is
 * refused.
 */
public final class RetrievalOptions {
  /** Where the index runs. */
  public enum Placement {
    /** The image encoder's device when it offers an index there, else the CPU. */
    ENCODER_DEVICE,
    /** The CPU kernels, whatever the encoder runs on. */
    CPU,
    /** The {@link DeviceIndexFactory} given. */
    DEVICE
  }

  private static final RetrievalOptions EXACT =
      new RetrievalOptions(null, KeyPrecision.FLOAT32, Placement.ENCODER_DEVICE, null);

  private final IvfOptions ivf;
  private final KeyPrecision precision;
  private final Placement placement;
  private final DeviceIndexFactory device;

  private RetrievalOptions(
      IvfOptions ivf, KeyPrecision precision, Placement placement, DeviceIndexFactory device) {
    this.ivf = ivf;
    this.precision = precision;
    this.placement = placement;
    this.device = device;
    checkArgument(
        ivf == null || precision == KeyPrecision.FLOAT32,
        "IVF keeps float32 keys: key precision %s is for the exact index",
        precision);
    checkArgument(
        placement != Placement.DEVICE || (ivf == null && precision == KeyPrecision.FLOAT32),
        "a device index is exact with float32 keys: IVF and %s keys run on the CPU",
        precision);
  }

  /** Exact top-k, float32 keys, on the encoder's device (the default). */
  public static RetrievalOptions exact() {
    return EXACT;
  }

  /** Approximate top-k with an inverted-file index (CPU, float32 keys). */
  public static RetrievalOptions ivf(IvfOptions options) {
    return new RetrievalOptions(
        Objects.requireNonNull(options, "options"), KeyPrecision.FLOAT32, Placement.CPU, null);
  }

  /** The same, with keys stored in {@code precision} (exact CPU index only). */
  public RetrievalOptions withKeyPrecision(KeyPrecision precision) {
    Objects.requireNonNull(precision, "precision");
    Placement p = precision == KeyPrecision.FLOAT32 ? placement : Placement.CPU;
    return new RetrievalOptions(ivf, precision, p, p == Placement.DEVICE ? device : null);
  }

  /** The same, on the CPU whatever the encoder runs on. */
  public RetrievalOptions onCpu() {
    return new RetrievalOptions(ivf, precision, Placement.CPU, null);
  }

  /** The same, where the image encoder runs when it offers an index there (the default). */
  public RetrievalOptions onEncoderDevice() {
    return new RetrievalOptions(ivf, precision, Placement.ENCODER_DEVICE, null);
  }

  /** The same, on {@code device} (exact, float32 keys). */
  public RetrievalOptions on(DeviceIndexFactory device) {
    return new RetrievalOptions(
        ivf, precision, Placement.DEVICE, Objects.requireNonNull(device, "device"));
  }

  /** The IVF settings, or empty for exact search. */
  public Optional<IvfOptions> ivf() {
    return Optional.ofNullable(ivf);
  }

  /** How the keys are stored. */
  public KeyPrecision keyPrecision() {
    return precision;
  }

  /** Where the index runs. */
  public Placement placement() {
    return placement;
  }

  /** The device index for {@link Placement#DEVICE}, else empty. */
  public Optional<DeviceIndexFactory> device() {
    return Optional.ofNullable(device);
  }

  @Override
  public String toString() {
    String index = ivf == null ? "exact" : ivf.toString();
    String where =
        switch (placement) {
          case ENCODER_DEVICE -> "encoder's device";
          case CPU -> "cpu";
          case DEVICE -> device.description();
        };
    return index + ", " + precision.name().toLowerCase(java.util.Locale.ROOT) + " keys, " + where;
  }
}
