package org.ctx4j.core.dataset;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import org.ctx4j.testing.VisualGenomeGenerator;

/**
 * Builds the caption list from two Visual Genome files in this JVM and prints one line: {@code
 * captions=N seconds=S cpuSeconds=C peakHeapMiB=M maxHeapMiB=X}; peak heap is the sum of the heap
 * pools' peaks (an upper bound). Run in a forked JVM under the heap limit to check (see {@link
 * VisualGenomeScaleTest}).
 *
 * <p>Usage: {@code VisualGenomeBuildRun attributes.json relationships.json [--generate SEED]}; with
 * {@code --generate} it first writes real-size synthetic files there.
 */
public final class VisualGenomeBuildRun {
  private VisualGenomeBuildRun() {}

  public static void main(String[] args) {
    Path attributes = Path.of(args[0]);
    Path relationships = Path.of(args[1]);
    if (args.length == 4 && args[2].equals("--generate")) {
      long start = System.nanoTime();
      VisualGenomeGenerator.realSize(Long.parseLong(args[3]))
          .write(attributes, relationships, VisualGenomeGenerator.REAL_IMAGE_COUNT);
      System.out.printf("generated in %.1f s%n", (System.nanoTime() - start) / 1e9);
    }
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      pool.resetPeakUsage();
    }
    long cpuStart = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    long start = System.nanoTime();
    int captions = VisualGenomeCaptions.build(attributes, relationships).size();
    double seconds = (System.nanoTime() - start) / 1e9;
    double cpuSeconds =
        (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuStart) / 1e9;
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    System.out.printf(
        "captions=%d seconds=%.1f cpuSeconds=%.1f peakHeapMiB=%d maxHeapMiB=%d%n",
        captions, seconds, cpuSeconds, peak >> 20, Runtime.getRuntime().maxMemory() >> 20);
  }
}
