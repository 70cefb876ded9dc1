package org.ctx4j.core.internal.retrieval;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the retrieval kernel once per JVM. The SIMD kernel ({@code VectorTopKKernel}, compiled
 * for Java 17 against the incubator Vector API, which is the same on JDK 17, 21 and 25) is loaded
 * by name only when the JVM has the module ({@code --add-modules jdk.incubator.vector}; the
 * {@code ctx4j} command line adds it by relaunching itself). Without it the scalar kernel runs and
 * one warning names the flag and what is lost; the choice itself is logged at debug level.
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
        LOG.debug("ctx4j retrieval kernel: scalar (forced by -D{}=scalar)", PROPERTY);
        return kernel;
      case "vector":
        try {
          kernel = loadVector();
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
          throw new IllegalStateException("-D" + PROPERTY + "=vector but the vector kernel cannot"
              + " load on Java " + Runtime.version() + " (run java with --add-modules"
              + " jdk.incubator.vector): " + e, e);
        }
        LOG.debug("ctx4j retrieval kernel: {} (forced)", kernel.name());
        return kernel;
      case "auto":
        kernel = vectorKernelOrNull();
        if (kernel != null) {
          LOG.debug("ctx4j retrieval kernel: {} (Java {})", kernel.name(), Runtime.version());
          return kernel;
        }
        LOG.warn("ctx4j retrieval runs its scalar kernel, about 15x slower than the SIMD one:"
            + " add --add-modules jdk.incubator.vector to the java command (Java 17+) to enable"
            + " it");
        return ScalarTopKKernel.INSTANCE;
      default:
        throw new IllegalArgumentException(
            "-D" + PROPERTY + "=" + mode + ": expected auto, scalar or vector");
    }
  }

  private static TopKKernel loadVector() throws ReflectiveOperationException {
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      throw new UnsupportedOperationException("module jdk.incubator.vector not in the boot layer");
    }
    return (TopKKernel) Class.forName(VECTOR_CLASS).getDeclaredConstructor().newInstance();
  }
}
