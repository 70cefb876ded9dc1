package org.ctx4j.core.internal.retrieval;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the retrieval kernel once per JVM and logs the choice. The SIMD kernel lives in the core
 * jar's {@code META-INF/versions/25} and is loaded by name only on JDK 25+ with
 * {@code --add-modules jdk.incubator.vector}; otherwise the scalar kernel runs.
 *
 * <p>System property {@value #PROPERTY}: {@code auto} (default), {@code scalar} (force the scalar
 * kernel), {@code vector} (require the SIMD kernel; fail if it cannot load).
 */
public final class KernelProvider {
  public static final String PROPERTY = "ctx4j.retrieval.kernel";
  private static final String VECTOR_CLASS = "org.ctx4j.core.internal.retrieval.VectorTopKKernel";
  private static final Logger LOG = LoggerFactory.getLogger(KernelProvider.class);

  private static final class Holder {
    static final TopKKernel KERNEL = choose();
  }

  private KernelProvider() {}

  /** The kernel this JVM uses. */
  public static TopKKernel kernel() {
    return Holder.KERNEL;
  }

  /** The SIMD kernel, or null with the reason logged at debug level if this runtime lacks it. */
  public static TopKKernel vectorKernelOrNull() {
    try {
      return loadVector();
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      LOG.debug("vector kernel unavailable", e);
      return null;
    }
  }

  private static TopKKernel choose() {
    String mode = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
    TopKKernel kernel;
    switch (mode) {
      case "scalar":
        kernel = ScalarTopKKernel.INSTANCE;
        LOG.info("ctx4j retrieval kernel: scalar (forced by -D{}=scalar)", PROPERTY);
        return kernel;
      case "vector":
        try {
          kernel = loadVector();
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
          throw new IllegalStateException("-D" + PROPERTY + "=vector but the vector kernel cannot"
              + " load on Java " + Runtime.version() + " (needs JDK 25+, --add-modules"
              + " jdk.incubator.vector and the multi-release core jar): " + e, e);
        }
        LOG.info("ctx4j retrieval kernel: {} (forced)", kernel.name());
        return kernel;
      case "auto":
        kernel = vectorKernelOrNull();
        if (kernel != null) {
          LOG.info("ctx4j retrieval kernel: {} (Java {})", kernel.name(), Runtime.version());
          return kernel;
        }
        LOG.info("ctx4j retrieval kernel: scalar; on JDK 25+ run with --add-modules"
            + " jdk.incubator.vector for the SIMD kernel (~15x faster)");
        return ScalarTopKKernel.INSTANCE;
      default:
        throw new IllegalArgumentException(
            "-D" + PROPERTY + "=" + mode + ": expected auto, scalar or vector");
    }
  }

  private static TopKKernel loadVector() throws ReflectiveOperationException {
    if (Runtime.version().feature() < 25) {
      throw new UnsupportedOperationException("Java " + Runtime.version().feature() + " < 25");
    }
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      throw new UnsupportedOperationException("module jdk.incubator.vector not in the boot layer");
    }
    return (TopKKernel) Class.forName(VECTOR_CLASS).getDeclaredConstructor().newInstance();
  }
}
