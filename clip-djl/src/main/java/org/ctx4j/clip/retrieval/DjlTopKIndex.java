package org.ctx4j.clip.retrieval;

import static com.google.common.base.Preconditions.checkArgument;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.ctx4j.InvalidKeysException;
import org.ctx4j.core.retrieval.DeviceIndexFactory;
import org.ctx4j.core.retrieval.TopKIndex;
import org.ctx4j.core.retrieval.TopKResult;
import org.ctx4j.core.retrieval.TopKSelector;

/**
 * Exact top-k on libtorch through DJL: keys live on the engine's device (the GPU when DJL sees one)
 * in blocks; each search multiplies the queries with one key block at a time ({@code [Q, B]} scores,
 * bounded to {@value #MAX_SCORE_FLOATS} floats), takes the block's top-k on the device and merges
 * the per-block candidates on the host under the library's order (score, then lower id).
 *
 * <p>Differences from the core index: scores come from the engine's GEMM, whose float32 summation
 * order is its own (last-bit differences); and libtorch's {@code topk} does not promise which of
 * several keys tied at a block's k-th place it keeps, so exact ties at the cut may resolve to a
 * higher id. On CPU the core index is faster (see docs/retrieval.md); this class is the GPU path
 * and the CPU cross-check. Owns native memory: close it.
 */
public final class DjlTopKIndex implements TopKIndex {
  /** Upper bound on a score block's size, {@code Q × B} floats (256 MB). */
  static final long MAX_SCORE_FLOATS = 64L << 20;

  private final int size;
  private final int dim;
  private final int keysPerBlock;
  private final NDManager manager;
  private final List<NDArray> transposedBlocks;
  private final Device device;
  /** Host keys for exact re-scoring of the device's candidates, or null (device scores). */
  private final float[] hostKeys;

  /** Candidates per block beyond k that the host re-scores (see {@link #onDevice}). */
  static final int RESCORE_MARGIN = 16;

  private DjlTopKIndex(int size, int dim, int keysPerBlock, NDManager manager,
      List<NDArray> transposedBlocks, Device device, float[] hostKeys) {
    this.size = size;
    this.dim = dim;
    this.keysPerBlock = keysPerBlock;
    this.manager = manager;
    this.transposedBlocks = transposedBlocks;
    this.device = device;
    this.hostKeys = hostKeys;
  }

  /**
   * The index a build uses on {@code device} ({@code RetrievalOptions.on(...)}; a GPU encoder
   * offers it by default): the device multiplies and selects the best {@code k + 16} candidates of
   * each key block, and the host re-scores those candidates with the CPU index's arithmetic (one
   * fused multiply-add chain per score, dimension by dimension) and keeps the top k under the
   * library's order. Scores are then bit-identical to the CPU exact index's, and so are the ids,
   * unless more than 16 keys of a block lie within the GEMM's rounding (about 1e-6) of the k-th
   * score. The keys array is kept on the heap for the re-scoring.
   */
  public static DeviceIndexFactory onDevice(Device device) {
    checkArgument(device != null, "device is null");
    return new DeviceIndexFactory() {
      @Override
      public String description() {
        return "DJL exact on " + device + ", float32 keys, host re-scoring";
      }

      @Override
      public TopKIndex open(float[] keys, int n, int dim) {
        DjlTopKIndex onDevice = create(keys, n, dim, device, 65536);
        return new DjlTopKIndex(onDevice.size, onDevice.dim, onDevice.keysPerBlock,
            onDevice.manager, onDevice.transposedBlocks, device, keys);
      }

      @Override
      public String toString() {
        return description();
      }
    };
  }

  /** Keys on the default device of the default engine (a GPU if DJL sees one). */
  public static DjlTopKIndex create(float[] keys, int n, int dim) {
    return create(keys, n, dim, Engine.getInstance().defaultDevice(), 65536);
  }

  /**
   * @param keys row-major {@code [n, dim]} float32, copied to the device
   * @param keysPerBlock keys per device block (the query count also bounds the score block)
   */
  public static DjlTopKIndex create(float[] keys, int n, int dim, Device device, int keysPerBlock) {
    checkArgument(n >= 1, "empty key set: n (%s) < 1", n);
    checkArgument(dim >= 1, "dim (%s) < 1", dim);
    checkArgument(keysPerBlock >= 1, "keysPerBlock (%s) < 1", keysPerBlock);
    checkArgument(keys.length == (long) n * dim,
        "keys has %s floats, but n (%s) × dim (%s) = %s", keys.length, n, dim, (long) n * dim);
    for (int i = 0; i < keys.length; i++) {
      if (!Float.isFinite(keys[i])) {
        throw new InvalidKeysException("heap keys", i / dim, "key " + i / dim + " component "
            + i % dim + " is " + keys[i] + " in heap keys: keys must be finite");
      }
    }
    NDManager manager = NDManager.newBaseManager(device);
    List<NDArray> blocks = new ArrayList<>();
    try {
      float[] block = new float[Math.min(n, keysPerBlock) * dim];
      for (int first = 0; first < n; first += keysPerBlock) {
        int count = Math.min(keysPerBlock, n - first);
        float[] rows = count * dim == block.length ? block : new float[count * dim];
        System.arraycopy(keys, first * dim, rows, 0, count * dim);
        try (NDManager scope = manager.newSubManager()) {
          NDArray transposed = scope.create(rows, new Shape(count, dim)).transpose().duplicate();
          transposed.attach(manager);
          blocks.add(transposed);
        }
      }
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
    return new DjlTopKIndex(n, dim, keysPerBlock, manager, blocks, device, null);
  }

  public Device device() {
    return device;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public int dim() {
    return dim;
  }

  @Override
  public TopKResult search(float[] queries, int numQueries, int k) {
    TopKSelector.checkSearch(queries, numQueries, dim, k, size);
    TopKSelector topK = new TopKSelector(numQueries, k);
    if (numQueries == 0) {
      return topK.result();
    }
    int queriesPerCall = (int) Math.max(1, Math.min(numQueries, MAX_SCORE_FLOATS / Math.min(size, keysPerBlock)));
    for (int firstQuery = 0; firstQuery < numQueries; firstQuery += queriesPerCall) {
      int count = Math.min(queriesPerCall, numQueries - firstQuery);
      float[] slice = new float[count * dim];
      System.arraycopy(queries, firstQuery * dim, slice, 0, slice.length);
      try (NDManager scope = manager.newSubManager()) {
        NDArray q = scope.create(slice, new Shape(count, dim));
        for (int b = 0; b < transposedBlocks.size(); b++) {
          NDArray keysT = transposedBlocks.get(b);
          int blockKeys = (int) keysT.getShape().get(1);
          int kb = Math.min(hostKeys == null ? k : k + RESCORE_MARGIN, blockKeys);
          try (NDManager blockScope = scope.newSubManager()) {
            NDArray s = q.matMul(keysT);
            s.attach(blockScope);
            NDList best = s.topK(kb, 1, true, true);
            best.attach(blockScope);
            float[] values = best.get(0).toFloatArray();
            long[] index = best.get(1).toLongArray();
            int firstKey = b * keysPerBlock;
            for (int r = 0; r < count; r++) {
              for (int j = 0; j < kb; j++) {
                int key = firstKey + (int) index[r * kb + j];
                float score =
                    hostKeys == null
                        ? values[r * kb + j]
                        : hostScore(slice, r * dim, key * dim);
                topK.offer(firstQuery + r, key, score);
              }
            }
          }
        }
      }
    }
    return topK.result();
  }

  /** The CPU kernels' score: one fused multiply-add chain over the dimensions, in order. */
  private float hostScore(float[] queries, int q, int k) {
    float s = 0;
    for (int p = 0; p < dim; p++) {
      s = Math.fma(queries[q + p], hostKeys[k + p], s);
    }
    return s;
  }

  @Override
  public void close() {
    manager.close();
  }
}
