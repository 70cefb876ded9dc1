package org.ctx4j.core.retrieval;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import java.nio.file.Path;
import java.util.Objects;
import org.ctx4j.core.internal.retrieval.KernelProvider;
import org.ctx4j.core.internal.retrieval.KeyPanels;
import org.ctx4j.core.internal.retrieval.KeyRows;
import org.ctx4j.core.internal.retrieval.MappedFloatPanels;
import org.ctx4j.core.internal.retrieval.PackedFloatPanels;
import org.ctx4j.core.internal.retrieval.PackedHalfPanels;
import org.ctx4j.core.internal.retrieval.PanelCacheFile;
import org.ctx4j.core.internal.retrieval.TopKKernel;

/**
 * Builds {@link TopKIndex}es over key vectors (top-k by inner product).
 *
 * <pre>{@code
 * try (TopKIndex index = TopKIndexes.exact(keys, n, 512)) {
 *   TopKResult r = index.search(queries, numQueries, 16);
 * }
 * TopKIndex big = TopKIndexes.builder()
 *     .mappedKeys(captionDb, keysOffset, n, 512)  // float32 little-endian, row-major
 *     .precision(KeyPrecision.BFLOAT16)            // optional: half the memory, on the heap
 *     .threads(8)                                  // optional: default all processors
 *     .build();
 * }</pre>
 *
 * <p><b>Exactness and ties.</b> The exact index returns, per query, the k keys with the highest
 * float32 score, best first; equal scores are ordered by lower key id. "Equal" is judged on the
 * float32 score as computed: one fused multiply-add chain over the dimensions in order, which may
 * differ in the last bits from a double-precision sum, so two keys whose true inner products differ
 * by less than float32 rounding may come in either order. Results do not depend on the number of
 * threads or on which kernel (scalar or SIMD) runs: every kernel computes the same float32 scores.
 *
 * <p><b>Kernels.</b> On Java 17 the scalar kernel runs. On JDK 25+ started with
 * {@code --add-modules jdk.incubator.vector} a SIMD kernel (Vector API) runs, at close to the FMA
 * peak; {@code -Dctx4j.retrieval.kernel=scalar|vector} forces one. {@link #kernelName()} says which.
 *
 * <p><b>Input rules.</b> At least one key; every key and query component finite; {@code 1 <= k <=
 * size()} (k larger than the number of keys is an error, never a short result); queries of the
 * index's dimension.
 */
public final class TopKIndexes {
  private TopKIndexes() {}

  /** Exact index over row-major float32 keys {@code [n, dim]}, copied (the array is not retained). */
  public static TopKIndex exact(float[] keys, int n, int dim) {
    return builder().keys(keys, n, dim).build();
  }

  /**
   * Exact index over {@code n × dim} float32 little-endian row-major keys memory-mapped from {@code
   * file} at byte {@code offset} (e.g. the caption db's uncompressed {@code keys} dataset): no copy
   * on the heap, any file size. Non-finite keys are reported when a search reaches them.
   */
  public static TopKIndex exactMapped(Path file, long offset, int n, int dim) {
    return builder().mappedKeys(file, offset, n, dim).build();
  }

  /**
   * Approximate inverted-file index (k-means lists, nprobe lists scanned per query) with the
   * original's settings by default. If the probed lists hold fewer than k keys, the missing
   * results have id −1 and score −∞.
   */
  public static TopKIndex ivf(float[] keys, int n, int dim, IvfOptions options) {
    return builder().keys(keys, n, dim).approximate(options).build();
  }

  /** A builder: one of {@code keys} or {@code mappedKeys} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** Name of the kernel this JVM uses ("scalar", "vector-512", …). */
  public static String kernelName() {
    return KernelProvider.kernel().name();
  }

  /** Collects the settings of an index; {@link #build()} checks them. Not thread-safe. */
  public static final class Builder {
    private float[] keys;
    private Path file;
    private long offset;
    private int n = -1;
    private int dim = -1;
    private KeyPrecision precision = KeyPrecision.FLOAT32;
    private int threads = Runtime.getRuntime().availableProcessors();
    private IvfOptions ivf;
    private Path panelCache;

    private Builder() {}

    /** Row-major float32 keys {@code [n, dim]} on the heap; copied at {@link #build()}. */
    public Builder keys(float[] keys, int n, int dim) {
      this.keys = Objects.requireNonNull(keys, "keys");
      this.file = null;
      this.n = n;
      this.dim = dim;
      return this;
    }

    /** Row-major float32 little-endian keys {@code [n, dim]} at byte {@code offset} of a file. */
    public Builder mappedKeys(Path file, long offset, int n, int dim) {
      this.file = Objects.requireNonNull(file, "file");
      this.keys = null;
      this.offset = offset;
      this.n = n;
      this.dim = dim;
      return this;
    }

    /**
     * Key storage precision (default {@link KeyPrecision#FLOAT32}). Half precision copies the
     * keys to the heap rounded to 16 bits, also for mapped keys.
     */
    public Builder precision(KeyPrecision precision) {
      this.precision = Objects.requireNonNull(precision, "precision");
      return this;
    }

    /** Search threads (default: available processors); 1 runs searches on the caller's thread. */
    public Builder threads(int threads) {
      checkArgument(threads >= 1, "threads (%s) < 1", threads);
      this.threads = threads;
      return this;
    }

    /**
     * For {@link #mappedKeys} at float32: a file (beside the keys) keeping them a second time in
     * the search's layout, made on first use and reused while the key file is unchanged, so that
     * searches copy key panels instead of transposing them (1.3–1.7× faster, nothing on the
     * heap; the file is the keys' size). Made only where the disk has room for it twice over;
     * otherwise, or if it cannot be written, the keys are searched in place. Default: none.
     */
    public Builder panelCache(Path file) {
      this.panelCache = Objects.requireNonNull(file, "file");
      return this;
    }

    /** Makes the index approximate (IVF) with these options; FLOAT32 keys only. */
    public Builder approximate(IvfOptions options) {
      this.ivf = Objects.requireNonNull(options, "options");
      return this;
    }

    /** Builds the index; the caller closes it. */
    public TopKIndex build() {
      checkState(keys != null || file != null, "no keys: call keys(...) or mappedKeys(...)");
      checkArgument(n >= 1, "empty key set: n (%s) < 1", n);
      checkArgument(dim >= 1, "dim (%s) < 1", dim);
      checkArgument(offset >= 0, "offset (%s) < 0", offset);
      if (keys != null) {
        checkArgument(keys.length == (long) n * dim,
            "keys has %s floats, but n (%s) × dim (%s) = %s", keys.length, n, dim, (long) n * dim);
      }
      TopKKernel kernel = KernelProvider.kernel();
      if (ivf != null) {
        checkState(keys != null, "approximate(...) needs heap keys(...), not mappedKeys(...)");
        checkState(precision == KeyPrecision.FLOAT32, "approximate(...) supports FLOAT32 keys only");
        return IvfTopKIndex.build(keys, n, dim, ivf, kernel, threads);
      }
      KeyPanels panels;
      if (keys != null) {
        panels = precision == KeyPrecision.FLOAT32
            ? PackedFloatPanels.pack(keys, n, dim, "heap keys")
            : PackedHalfPanels.pack(
                KeyRows.of(keys, n, dim), precision == KeyPrecision.BFLOAT16);
      } else {
        MappedFloatPanels mapped = MappedFloatPanels.map(file, offset, n, dim);
        if (precision == KeyPrecision.FLOAT32) {
          panels = panelCache == null
              ? mapped
              : PanelCacheFile.open(mapped, file, offset, panelCache);
        } else {
          panels = PackedHalfPanels.pack(mapped, precision == KeyPrecision.BFLOAT16);
          mapped.close();
        }
      }
      return new ExactTopKIndex(panels, kernel, threads);
    }
  }
}
