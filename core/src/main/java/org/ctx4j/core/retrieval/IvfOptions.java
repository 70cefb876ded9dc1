package org.ctx4j.core.retrieval;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * Settings of the approximate inverted-file index. The defaults reproduce the original Xmodal-Ctx
 * settings: {@code nlist = round(8·√N)} k-means lists and {@code nprobe = nlist / 10} lists visited
 * per query. Instances are immutable; the {@code with…} methods return modified copies.
 *
 * @param nlist number of k-means lists, or 0 for {@code round(8·√N)}
 * @param nprobe lists searched per query, or 0 for {@code max(1, nlist / 10)}
 * @param seed seed of the k-means initialisation and training sample
 * @param iterations k-means iterations
 * @param maxTrainingPointsPerList training sample size per list (faiss uses 256)
 */
public record IvfOptions(int nlist, int nprobe, long seed, int iterations, int maxTrainingPointsPerList) {

  public IvfOptions {
    checkArgument(nlist >= 0, "nlist (%s) < 0", nlist);
    checkArgument(nprobe >= 0, "nprobe (%s) < 0", nprobe);
    checkArgument(iterations >= 1, "iterations (%s) < 1", iterations);
    checkArgument(maxTrainingPointsPerList >= 1, "maxTrainingPointsPerList (%s) < 1", maxTrainingPointsPerList);
  }

  /**
   * The original's settings (faiss {@code IndexIVF}'s defaults): automatic nlist and nprobe, 10
   * k-means iterations (faiss's IVF training sets 10, not its general clustering's 25), at most
   * 256 training points per list, seed 1234.
   */
  public static IvfOptions defaults() {
    return new IvfOptions(0, 0, 1234L, 10, 256);
  }

  public IvfOptions withNlist(int value) {
    return new IvfOptions(value, nprobe, seed, iterations, maxTrainingPointsPerList);
  }

  public IvfOptions withNprobe(int value) {
    return new IvfOptions(nlist, value, seed, iterations, maxTrainingPointsPerList);
  }

  public IvfOptions withSeed(long value) {
    return new IvfOptions(nlist, nprobe, value, iterations, maxTrainingPointsPerList);
  }

  public IvfOptions withIterations(int value) {
    return new IvfOptions(nlist, nprobe, seed, value, maxTrainingPointsPerList);
  }

  /** nlist for {@code n} keys: the explicit value, else {@code round(8·√n)}, at most n. */
  public int effectiveNlist(int n) {
    int lists = nlist > 0 ? nlist : (int) Math.round(8 * Math.sqrt(n));
    return Math.max(1, Math.min(lists, n));
  }

  /** nprobe for {@code n} keys: the explicit value, else {@code max(1, nlist / 10)}, at most nlist. */
  public int effectiveNprobe(int n) {
    int lists = effectiveNlist(n);
    int probes = nprobe > 0 ? nprobe : Math.max(1, lists / 10);
    return Math.min(probes, lists);
  }
}
