package org.ctx4j.clip.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.FloatBuffer;

/**
 * Copies checkpoint tensors into native arrays of the working precision, owned by one manager (the
 * tower's). Reads one tensor at a time, so only one float32 copy sits on the heap.
 */
public final class WeightLoader {
  private final Safetensors file;
  private final NDManager manager;
  private final DataType working;

  public WeightLoader(Safetensors file, NDManager manager, DataType working) {
    this.file = file;
    this.manager = manager;
    this.working = working;
  }

  /** Reads {@code name}, which must have exactly {@code shape}. */
  public float[] floats(String name, long... shape) {
    return file.readFloats(name, shape);
  }

  /** Reads {@code name} (exactly {@code shape}) into a native array. */
  public NDArray load(String name, long... shape) {
    return toNative(floats(name, shape), shape);
  }

  /** Puts {@code values} into a native array of the working precision. */
  public NDArray toNative(float[] values, long... shape) {
    NDArray fp32 = manager.create(FloatBuffer.wrap(values), new Shape(shape), DataType.FLOAT32);
    if (working == DataType.FLOAT32) {
      return fp32;
    }
    NDArray converted = fp32.toType(working, false);
    fp32.close();
    return converted;
  }

  NDManager manager() {
    return manager;
  }
}
