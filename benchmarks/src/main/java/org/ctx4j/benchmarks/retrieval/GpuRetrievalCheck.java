package org.ctx4j.benchmarks.retrieval;

import ai.djl.Device;
import ai.djl.engine.Engine;
import org.ctx4j.clip.retrieval.DjlTopKIndex;
import org.ctx4j.core.retrieval.TopKIndex;
import org.ctx4j.core.retrieval.TopKIndexes;
import org.ctx4j.core.retrieval.TopKResult;

/**
 * The short GPU check (benchmarks/peers/retrieval_gpu_check.sh): on the engine's GPU, searches
 * {@code n} keys with 4096 queries through {@link DjlTopKIndex}, compares the ids with the core
 * exact index on the CPU and prints both times. Exits 1 on disagreement beyond float rounding ties,
 * 2 when DJL sees no GPU.
 */
public final class GpuRetrievalCheck {
  private GpuRetrievalCheck() {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int dim = 512;
    int q = 4096;
    int k = 16;
    int gpus = Engine.getInstance().getGpuCount();
    System.out.println("engine " + Engine.getInstance().getEngineName() + " "
        + Engine.getInstance().getVersion() + ", GPUs " + gpus);
    if (gpus == 0) {
      System.out.println("no GPU visible to DJL (CUDA natives on the classpath or PYTORCH_LIBRARY_PATH?)");
      System.exit(2);
    }
    float[] keys = BenchmarkData.normalisedGaussians(n, dim, 1);
    float[] queries = BenchmarkData.normalisedGaussians(q, dim, 2);
    TopKResult cpu;
    long start = System.nanoTime();
    try (TopKIndex index = TopKIndexes.exact(keys, n, dim)) {
      cpu = index.search(queries, q, k);
    }
    double cpuSeconds = (System.nanoTime() - start) / 1e9;
    try (DjlTopKIndex gpu = DjlTopKIndex.create(keys, n, dim, Device.gpu(), 262_144)) {
      gpu.search(queries, q, k); // warm-up: kernels, cuBLAS handles
      start = System.nanoTime();
      TopKResult result = gpu.search(queries, q, k);
      double gpuSeconds = (System.nanoTime() - start) / 1e9;
      int same = 0;
      for (int i = 0; i < q * k; i++) {
        same += result.ids()[i] == cpu.ids()[i] ? 1 : 0;
      }
      double agreement = same / (double) (q * k);
      System.out.printf("n=%d q=%d k=%d: cpu %.3f s (%s), gpu %.3f s, id agreement %.5f%n", n, q, k,
          cpuSeconds, TopKIndexes.kernelName(), gpuSeconds, agreement);
      System.exit(agreement > 0.999 ? 0 : 1);
    }
  }
}
