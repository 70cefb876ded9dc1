package org.ctx4j.benchmarks.image;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * The {@link PreprocessBenchmark#decodeCropPreprocess} work timed in thread CPU time as well as
 * wall time. On a shared, oversubscribed machine wall time mostly measures the neighbours; CPU time
 * of the one working thread is what a dedicated core would see. The peer script reports the same
 * two figures.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar
 * org.ctx4j.benchmarks.image.PreprocessCpuTime [seconds]}
 */
public final class PreprocessCpuTime {
  private PreprocessCpuTime() {}

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 20;
    PreprocessBenchmark bench = new PreprocessBenchmark();
    bench.setUp();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    float sink = 0;
    long warmEnd = System.nanoTime() + 8_000_000_000L;
    while (System.nanoTime() < warmEnd) {
      sink += bench.decodeCropPreprocess()[7];
    }
    int batch = 10;
    double[] cpu = new double[10_000];
    double[] wall = new double[10_000];
    int n = 0;
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long process0 = os.getProcessCpuTime();
    long end = System.nanoTime() + (long) (seconds * 1e9);
    while (System.nanoTime() < end && n < cpu.length) {
      long c0 = threads.getCurrentThreadCpuTime();
      long w0 = System.nanoTime();
      for (int i = 0; i < batch; i++) {
        sink += bench.decodeCropPreprocess()[i];
      }
      wall[n] = (System.nanoTime() - w0) / 1e6 / batch;
      cpu[n] = (threads.getCurrentThreadCpuTime() - c0) / 1e6 / batch;
      n++;
    }
    // Whole-process CPU (this thread plus GC and JIT threads) per op: nothing hidden elsewhere.
    double processPerOp = (os.getProcessCpuTime() - process0) / 1e6 / (n * batch);
    bench.tearDown();
    System.out.printf(
        Locale.ROOT,
        "ctx4j (Java %s): cpu %s (process incl. GC/JIT %.2f) | wall %s ms/op (%d x %d ops) sink"
            + " %s%n",
        System.getProperty("java.version"),
        summary(cpu, n),
        processPerOp,
        summary(wall, n),
        n,
        batch,
        sink);
  }

  private static String summary(double[] values, int n) {
    double[] v = Arrays.copyOf(values, n);
    Arrays.sort(v);
    double mean = Arrays.stream(v).average().orElse(Double.NaN);
    return String.format(Locale.ROOT, "mean %.2f median %.2f min %.2f", mean, v[n / 2], v[0]);
  }
}
