package org.ctx4j.spark;

import java.io.Serializable;
import org.ctx4j.BuildSettingsException;
import org.ctx4j.core.retrieval.IvfOptions;
import org.ctx4j.core.retrieval.KeyPrecision;
import org.ctx4j.core.retrieval.RetrievalOptions;

/**
 * The build's retrieval choice in a form that travels to executors: {@link RetrievalOptions} holds
 * a device index factory, which cannot. Each executor rebuilds the options; an IVF index is trained
 * in every image part with the same seed, so every part retrieves from the same index a one-machine
 * build would train.
 *
 * @param ivf whether the index is IVF (the fields below apply then)
 * @param onCpu CPU kernels whatever the encoder runs on, else the encoder's device when it offers
 *     an index there (the default)
 */
record RetrievalSpec(
    boolean ivf,
    int nlist,
    int nprobe,
    long seed,
    int iterations,
    int maxTrainingPointsPerList,
    String keyPrecision,
    boolean onCpu)
    implements Serializable {

  /** The spec of {@code options}; an explicit device index is refused: it cannot be shipped. */
  static RetrievalSpec of(RetrievalOptions options) {
    if (options.placement() == RetrievalOptions.Placement.DEVICE) {
      throw new BuildSettingsException(
          "retrieval on " + options.device().orElseThrow().description() + ": a device index"
              + " cannot be shipped to Spark executors; each executor retrieves on its encoder's"
              + " device (the default, --retrieval-device auto) or on the CPU (cpu)");
    }
    IvfOptions ivf = options.ivf().orElse(IvfOptions.defaults());
    return new RetrievalSpec(
        options.ivf().isPresent(), ivf.nlist(), ivf.nprobe(), ivf.seed(), ivf.iterations(),
        ivf.maxTrainingPointsPerList(), options.keyPrecision().name(),
        options.placement() == RetrievalOptions.Placement.CPU);
  }

  /** Whether the CPU index would search the caption db's float32 keys mapped (exact, float32). */
  boolean searchesMappedKeys() {
    return !ivf && KeyPrecision.valueOf(keyPrecision) == KeyPrecision.FLOAT32;
  }

  RetrievalOptions options() {
    RetrievalOptions options =
        ivf
            ? RetrievalOptions.ivf(
                new IvfOptions(nlist, nprobe, seed, iterations, maxTrainingPointsPerList))
            : RetrievalOptions.exact().withKeyPrecision(KeyPrecision.valueOf(keyPrecision));
    return onCpu ? options.onCpu() : options;
  }
}
