package org.ctx4j.clip.internal;

/**
 * A linear layer's weight {@code W} ({@code [n, k]}, PyTorch's {@code out x in} layout) and bias,
 * re-laid once at load time for {@link GemmKernel}: column panels of {@code width} output
 * columns, each stored k-major ({@code data[(p * k + i) * width + j] = W[p * width + j][i]}),
 * zero-filled past column {@code n}. A row of {@code x} then meets each panel as one contiguous
 * stream, and the kernel's vector lanes are output columns.
 */
public final class PackedMatrix {
  private final float[] data;
  private final float[] bias;
  private final int n;
  private final int k;
  private final int width;

  private PackedMatrix(float[] data, float[] bias, int n, int k, int width) {
    this.data = data;
    this.bias = bias;
    this.n = n;
    this.k = k;
    this.width = width;
  }

  /** Packs {@code weight} ({@code [n, k]} row-major) and {@code bias} ({@code [n]}, or null). */
  public static PackedMatrix pack(float[] weight, float[] bias, int n, int k, int width) {
    if (weight.length != (long) n * k || (bias != null && bias.length != n)) {
      throw new IllegalArgumentException(
          "weight of " + weight.length + " floats is not " + n + "x" + k);
    }
    int panels = (n + width - 1) / width;
    float[] data = new float[Math.multiplyExact(Math.multiplyExact(panels, k), width)];
    for (int c = 0; c < n; c++) {
      int p = c / width;
      int j = c % width;
      int base = p * k * width + j;
      for (int i = 0; i < k; i++) {
        data[base + i * width] = weight[c * k + i];
      }
    }
    float[] paddedBias = new float[panels * width];
    if (bias != null) {
      System.arraycopy(bias, 0, paddedBias, 0, n);
    }
    return new PackedMatrix(data, paddedBias, n, k, width);
  }

  /** The packed panels. */
  public float[] data() {
    return data;
  }

  /** The bias, zero-padded to whole panels (zeros when the layer has none). */
  public float[] bias() {
    return bias;
  }

  /** Output columns. */
  public int n() {
    return n;
  }

  /** Input columns (the reduction length). */
  public int k() {
    return k;
  }

  /** Columns per panel. */
  public int width() {
    return width;
  }

  /** Number of panels. */
  public int panels() {
    return bias.length / width;
  }
}
