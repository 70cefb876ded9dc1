package org.ctx4j.benchmarks.retrieval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;

/**
 * Benchmark vectors. With {@code -Dctx4j.bench.data=DIR} they are read from the raw float32
 * little-endian files that {@code benchmarks/peers/retrieval_faiss.py --make-data DIR} writes
 * ({@code keys_<n>.f32} and {@code queries.f32}, d = 512, L2-normalised), so ours and the peers
 * search the same data; otherwise they are generated here (seeded Gaussian, L2-normalised).
 */
public final class BenchmarkData {
  static final String PROPERTY = "ctx4j.bench.data";

  private BenchmarkData() {}

  static Path dataDir() {
    String dir = System.getProperty(PROPERTY);
    return dir == null ? null : Path.of(dir);
  }

  /** The key file for {@code n} keys, or null when no data directory is set. */
  static Path keyFile(int n) {
    Path dir = dataDir();
    return dir == null ? null : dir.resolve("keys_" + n + ".f32");
  }

  static float[] keys(int n, int dim) {
    Path file = keyFile(n);
    return file != null ? read(file, (long) n * dim) : normalisedGaussians(n, dim, 1);
  }

  static float[] queries(int q, int dim) {
    Path dir = dataDir();
    return dir != null ? read(dir.resolve("queries.f32"), (long) q * dim)
        : normalisedGaussians(q, dim, 2);
  }

  private static float[] read(Path file, long count) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      if (channel.size() < 4 * count) {
        throw new IllegalStateException(file + " holds " + channel.size() / 4 + " floats, need "
            + count + ": run retrieval_faiss.py --make-data with larger sizes");
      }
      float[] out = new float[Math.toIntExact(count)];
      FloatBuffer floats = channel.map(FileChannel.MapMode.READ_ONLY, 0, 4 * count)
          .order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
      floats.get(out);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code rows} unit vectors of {@code dim} Gaussian components, seeded. */
  public static float[] normalisedGaussians(int rows, int dim, long seed) {
    Random random = new Random(seed);
    float[] out = new float[Math.multiplyExact(rows, dim)];
    for (int r = 0; r < rows; r++) {
      double norm = 0;
      for (int p = 0; p < dim; p++) {
        float v = (float) random.nextGaussian();
        out[r * dim + p] = v;
        norm += v * v;
      }
      float scale = (float) (1 / Math.sqrt(norm));
      for (int p = 0; p < dim; p++) {
        out[r * dim + p] *= scale;
      }
    }
    return out;
  }

  static boolean exists(Path file) {
    return file != null && Files.exists(file);
  }
}
