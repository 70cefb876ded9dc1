package org.ctx4j.benchmarks.hdf5;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ctx4j.hdf5.CropContext;
import org.ctx4j.hdf5.TextualContextWriter;
import org.ctx4j.hdf5.VisualContextWriter;

/**
 * Writes one synthetic context file and prints a JSON line (seconds, images/s, file size, peak
 * heap), for side-by-side runs with {@code benchmarks/peers/hdf5_write_h5py.py} and for the
 * full-COCO scale runs under {@code -Xmx512m}:
 *
 * <pre>
 * java -Xmx512m -cp ... org.ctx4j.benchmarks.hdf5.HdfWriteRun txt|vis|jhdf-txt OUT N [k d | dim] [--repeat R] [--keep]
 * </pre>
 *
 * The timed region includes finalisation (the root index, the superblock and the fsync that makes
 * the file durable), which h5py's timed region does not have.
 */
public final class HdfWriteRun {
  private HdfWriteRun() {}

  public static void main(String[] args) throws Exception {
    String kind = args[0];
    Path out = Path.of(args[1]);
    int n = Integer.parseInt(args[2]);
    int repeat = 1;
    boolean keep = false;
    int[] dims = new int[2];
    int ndims = 0;
    for (int i = 3; i < args.length; i++) {
      if (args[i].equals("--repeat")) {
        repeat = Integer.parseInt(args[++i]);
      } else if (args[i].equals("--keep")) {
        keep = true;
      } else {
        dims[ndims++] = Integer.parseInt(args[i]);
      }
    }
    for (int r = 0; r < repeat; r++) {
      Files.deleteIfExists(out);
      resetPeaks();
      long t0 = System.nanoTime();
      switch (kind) {
        case "txt":
          writeTxt(out, n, dims[0], dims[1]);
          break;
        case "vis":
          writeVis(out, n, dims[0]);
          break;
        case "jhdf-txt":
          writeTxtWithJhdf(out, n, dims[0], dims[1]);
          break;
        default:
          throw new IllegalArgumentException("unknown kind " + kind);
      }
      double secs = (System.nanoTime() - t0) / 1e9;
      long size = Files.size(out);
      System.out.println(
          String.format(
              Locale.ROOT,
              "{\"tool\": \"%s\", \"kind\": \"%s\", \"images\": %d, \"dims\": [%d, %d], "
                  + "\"seconds\": %.3f, \"images_per_s\": %.1f, \"file_mb_per_s\": %.1f, "
                  + "\"file_bytes\": %d, \"peak_heap_mb\": %d, \"max_heap_mb\": %d}",
              kind.startsWith("jhdf") ? "jhdf 0.13.0" : "ctx4j",
              kind,
              n,
              dims[0],
              dims[1],
              secs,
              n / secs,
              size / secs / 1e6,
              size,
              peakHeapBytes() >> 20,
              Runtime.getRuntime().maxMemory() >> 20));
      if (!keep || r < repeat - 1) {
        Files.deleteIfExists(out);
      }
    }
  }

  static void writeTxt(Path out, int n, int k, int d) {
    SyntheticTextualContext data = new SyntheticTextualContext(k, d);
    try (TextualContextWriter w =
        TextualContextWriter.open(out, data.layout(), Map.of("model", "synthetic"))) {
      for (long id = 0; id < n; id++) {
        List<CropContext> crops = data.image(id);
        w.write(id, crops);
      }
    }
  }

  static void writeVis(Path out, int n, int dim) {
    float[][] pool = new float[64][dim];
    java.util.Random random = new java.util.Random(1);
    for (float[] row : pool) {
      for (int i = 0; i < dim; i++) {
        row[i] = (float) random.nextGaussian();
      }
    }
    try (VisualContextWriter w = VisualContextWriter.open(out, dim, Map.of("model", "synthetic"))) {
      for (long id = 0; id < n; id++) {
        w.write(id, pool[(int) (id % 64)]);
      }
    }
  }

  /** The jhdf 0.13.0 writer on the same layout (it holds everything in memory until close). */
  static void writeTxtWithJhdf(Path out, int n, int k, int d) {
    SyntheticTextualContext data = new SyntheticTextualContext(k, d);
    String[] crops = {"whole", "five", "nine"};
    try (WritableHdfFile f = HdfFile.write(out)) {
      for (long id = 0; id < n; id++) {
        WritableGroup image = f.putGroup(Long.toString(id));
        List<CropContext> contexts = data.image(id);
        for (int c = 0; c < 3; c++) {
          WritableGroup g = image.putGroup(crops[c]);
          g.putDataset("features", data.featuresForJhdf(c));
          g.putDataset("scores", data.scores(c));
          g.putDataset("texts", contexts.get(c).texts());
        }
      }
    }
  }

  private static void resetPeaks() {
    System.gc();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      pool.resetPeakUsage();
    }
  }

  private static long peakHeapBytes() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }
}
