package org.ctx4j.spark;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.ctx4j.core.retrieval.TopKIndex;
import org.ctx4j.core.retrieval.TopKIndexes;
import org.ctx4j.core.retrieval.TopKResult;

/**
 * How executors should get the caption keys (a benchmark program, not a test): memory-mapped from
 * a file every executor reads, as the build does, against a Spark broadcast from the driver, the
 * alternative the issue asks to measure. On a standalone cluster started here (a Master and
 * {@code E} Workers of one core, each executor its own JVM), alternately per round:
 *
 * <ul>
 *   <li><b>mmap</b>: one task per executor maps the {@code n × 512} float32 keys from the file and
 *       runs an exact top-16 search of 32 queries over them (which reads every key), then the same
 *       search again (keys resident: the search alone);
 *   <li><b>broadcast</b>: the driver reads the keys into a {@code float[]} and broadcasts it; one
 *       task per executor takes the value, builds the same index over it and runs the same two
 *       searches.
 * </ul>
 *
 * Both give the same top-k (checked). Printed per route: the driver's part, the job's wall time,
 * each task's first search (delivery + first touch) and second search, and each executor's heap
 * after the round. Usage: {@code KeysDeliveryBenchmark DIR N ROUNDS [EXECUTORS] [EXECUTOR_MEMORY]}
 * (see benchmarks/spark/keys.sh).
 */
public final class KeysDeliveryBenchmark {
  private static final int DIM = 512;
  private static final int QUERIES = 32;
  private static final int K = 16;

  private KeysDeliveryBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int n = Integer.parseInt(args[1]);
    int rounds = Integer.parseInt(args[2]);
    int executors = args.length > 3 ? Integer.parseInt(args[3]) : 2;
    String memory = args.length > 4 ? args[4] : "6g";
    Files.createDirectories(dir);
    Path keys = dir.resolve("keys-" + n + ".f32");
    if (!Files.exists(keys) || Files.size(keys) != 4L * n * DIM) {
      writeKeys(keys, n);
    }
    float[] queries = random(QUERIES * DIM, 11);
    try (StandaloneCluster cluster = StandaloneCluster.start(dir.resolve("cluster"), executors,
        memory)) {
      SparkSession.Builder b =
          SparkSession.builder().master(cluster.masterUrl()).appName("ctx4j keys delivery");
      cluster.driverConf().forEach(b::config);
      b.config("spark.executor.memory", memory).config("spark.driver.maxResultSize", "1g");
      SparkSession spark = b.getOrCreate();
      try {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        System.out.printf("keys: %d x %d float32 = %.0f MB; %d executors of 1 core, %s each%n",
            n, DIM, 4.0 * n * DIM / 1e6, executors, memory);
        warmUp(jsc, executors);
        for (int r = 1; r <= rounds; r++) {
          mmapRound(jsc, keys.toString(), n, queries, executors).print(r, "mmap");
          broadcastRound(jsc, keys, n, queries, executors).print(r, "broadcast");
        }
      } finally {
        spark.stop();
      }
    }
  }

  /** One route's round: the driver's part, the job, each task's two searches, the heaps. */
  private record Round(long driverNanos, long jobNanos, List<long[]> tasks, String heaps) {
    Round {
      for (long[] task : tasks) {
        if (task[2] != tasks.get(0)[2]) {
          throw new IllegalStateException("executors found different top-k");
        }
      }
    }

    void print(int round, String route) {
      StringBuilder s = new StringBuilder();
      s.append(String.format("round %d %-9s driver %6.0f ms  job %6.0f ms  per task first / second"
          + " search:", round, route, driverNanos / 1e6, jobNanos / 1e6));
      for (long[] task : tasks) {
        s.append(String.format(" %5.0f / %4.0f ms", task[0] / 1e6, task[1] / 1e6));
      }
      s.append("  executor heaps:").append(heaps);
      s.append("  top-k checksum ").append(Long.toHexString(tasks.get(0)[2]));
      System.out.println(s);
    }
  }

  private static Round mmapRound(
      JavaSparkContext jsc, String file, int n, float[] queries, int executors) {
    long t0 = System.nanoTime();
    List<long[]> tasks =
        jsc.parallelize(IntStream.range(0, executors).boxed().toList(), executors)
            .map(i -> timeSearches(() -> TopKIndexes.builder().mappedKeys(Path.of(file), 0, n, DIM)
                .threads(1).build(), queries))
            .collect();
    long job = System.nanoTime() - t0;
    return new Round(0, job, tasks, heaps(jsc, executors));
  }

  private static Round broadcastRound(
      JavaSparkContext jsc, Path file, int n, float[] queries, int executors) throws IOException {
    long t0 = System.nanoTime();
    Broadcast<float[]> bc = jsc.broadcast(readKeys(file, n));
    long driver = System.nanoTime() - t0;
    List<long[]> tasks =
        jsc.parallelize(IntStream.range(0, executors).boxed().toList(), executors)
            .map(i -> timeSearches(() -> TopKIndexes.builder().keys(bc.value(), n, DIM)
                .threads(1).build(), queries))
            .collect();
    long job = System.nanoTime() - t0;
    String heaps = heaps(jsc, executors); // the broadcast still alive, as during a build
    bc.destroy();
    return new Round(driver, job, tasks, heaps);
  }

  private static long[] timeSearches(
      java.util.function.Supplier<TopKIndex> open, float[] queries) {
    long t0 = System.nanoTime();
    long checksum;
    long first;
    long second;
    try (TopKIndex index = open.get()) {
      TopKResult r = index.search(queries, QUERIES, K);
      first = System.nanoTime() - t0;
      long t1 = System.nanoTime();
      TopKResult again = index.search(queries, QUERIES, K);
      second = System.nanoTime() - t1;
      checksum = checksum(r);
      if (checksum != checksum(again)) {
        throw new IllegalStateException("two searches differ");
      }
    }
    return new long[] {first, second, checksum};
  }

  private static long checksum(TopKResult r) {
    long h = 17;
    for (int q = 0; q < QUERIES; q++) {
      for (int j = 0; j < K; j++) {
        h = h * 31 + r.id(q, j);
      }
    }
    return h;
  }

  /** Each executor's used heap after a full GC, in MB. */
  private static String heaps(JavaSparkContext jsc, int executors) {
    List<Long> used =
        jsc.parallelize(IntStream.range(0, executors).boxed().toList(), executors)
            .map(i -> {
              System.gc();
              Runtime rt = Runtime.getRuntime();
              return (rt.totalMemory() - rt.freeMemory()) / 1_000_000;
            })
            .collect();
    List<String> out = new ArrayList<>();
    used.forEach(u -> out.add(u + " MB"));
    return " " + String.join(", ", out);
  }

  private static void warmUp(JavaSparkContext jsc, int executors) {
    jsc.parallelize(IntStream.range(0, executors).boxed().toList(), executors)
        .map(i -> i * 2).collect();
  }

  private static float[] readKeys(Path file, int n) throws IOException {
    float[] keys = new float[n * DIM];
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer buf = ByteBuffer.allocateDirect(1 << 24).order(ByteOrder.LITTLE_ENDIAN);
      int at = 0;
      while (at < keys.length) {
        buf.clear();
        if (ch.read(buf) < 0) {
          throw new IOException("short key file " + file);
        }
        buf.flip();
        int floats = buf.remaining() / 4;
        buf.asFloatBuffer().get(keys, at, floats);
        at += floats;
        ch.position((long) at * 4);
      }
    }
    return keys;
  }

  private static void writeKeys(Path file, int n) throws IOException {
    Random random = new Random(5);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      ByteBuffer row = ByteBuffer.allocate(4 * DIM * 1024).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < n; i += 1024) {
        row.clear();
        for (int j = 0; j < Math.min(1024, n - i) * DIM; j++) {
          row.putFloat((float) random.nextGaussian());
        }
        row.flip();
        while (row.hasRemaining()) {
          ch.write(row);
        }
      }
    }
  }

  private static float[] random(int count, long seed) {
    Random random = new Random(seed);
    float[] out = new float[count];
    for (int i = 0; i < count; i++) {
      out[i] = (float) random.nextGaussian();
    }
    return out;
  }
}
