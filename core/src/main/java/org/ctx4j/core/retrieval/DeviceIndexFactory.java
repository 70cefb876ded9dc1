package org.ctx4j.core.retrieval;

/**
 * Opens an exact top-k index on a device other than the JVM's CPU kernels (a GPU through an
 * engine), for {@link RetrievalOptions#on}. An encoder running on such a device offers one (see
 * {@code ImageEncoder.retrievalIndexOnDevice()}), so that a GPU build also retrieves on the GPU.
 *
 * <p>Implementations should return results equal to the CPU exact index's: the same ids and
 * bit-identical float32 scores (for example by re-scoring the device's candidates on the host with
 * the CPU kernels' arithmetic, as the DJL implementation does), so that files do not depend on
 * where they were built.
 */
public interface DeviceIndexFactory {
  /**
   * What the index is and where it runs, e.g. {@code "DJL exact on gpu(0), float32 keys, host
   * re-scoring"}: recorded in the build's settings, so that a resume with another one is refused.
   */
  String description();

  /**
   * Opens an index over row-major float32 keys {@code [n, dim]}; the caller closes it. The array
   * may be retained (for re-scoring) and must not be modified afterwards.
   */
  TopKIndex open(float[] keys, int n, int dim);
}
