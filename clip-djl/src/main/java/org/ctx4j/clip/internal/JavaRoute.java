package org.ctx4j.clip.internal;

/**
 * ctx4j's own CPU route: both towers in Java, the linear layers on the Vector API GEMM kernel
 * ({@code VectorGemmKernel}, compiled against {@code jdk.incubator.vector} and loaded by name only
 * when the JVM has that module).
 */
public final class JavaRoute {
  private JavaRoute() {}

  /** What the numerics strings of this route start with. */
  public static final String NUMERICS = "ctx4j java-vector-f32";

  private static final String KERNEL_CLASS = "org.ctx4j.clip.internal.VectorGemmKernel";

  /** Whether the running JVM has the Vector API module this route needs. */
  public static boolean available() {
    return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
  }

  /**
   * The vector GEMM kernel.
   *
   * @throws IllegalStateException naming the JVM flag when the module is missing
   */
  public static GemmKernel kernel() {
    if (!available()) {
      throw new IllegalStateException(
          "the Java CPU route needs the Vector API: run java with --add-modules"
              + " jdk.incubator.vector (Java 17+), or choose the PYTORCH backend");
    }
    try {
      return (GemmKernel) Class.forName(KERNEL_CLASS).getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new IllegalStateException(
          "the Java CPU route's vector kernel does not load on Java " + Runtime.version() + ": "
              + e, e);
    }
  }
}
