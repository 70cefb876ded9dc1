package org.ctx4j.hdf5.internal.read;

import java.nio.ByteBuffer;

/** Reading HDF5's variable-width little-endian address and length fields. */
final class Fields {
  /** HDF5's "undefined address" (all bits set), after widening to a long. */
  static final long UNDEFINED = -1L;

  private Fields() {}

  /** An address of {@code size} bytes; all bits set maps to {@link #UNDEFINED}. */
  static long offset(ByteBuffer b, int size) {
    long v = unsigned(b, size);
    return size < 8 && v == (1L << (8 * size)) - 1 ? UNDEFINED : v;
  }

  /** An unsigned little-endian integer of {@code size} (1, 2, 4 or 8) bytes. */
  static long unsigned(ByteBuffer b, int size) {
    switch (size) {
      case 1:
        return Byte.toUnsignedLong(b.get());
      case 2:
        return Short.toUnsignedLong(b.getShort());
      case 4:
        return Integer.toUnsignedLong(b.getInt());
      case 8:
        return b.getLong();
      default:
        throw new IllegalArgumentException("field size " + size);
    }
  }

  /** Checks a 4-byte ASCII signature at the buffer's position and skips it. */
  static boolean signature(ByteBuffer b, String expected) {
    if (b.remaining() < 4) {
      return false;
    }
    for (int i = 0; i < 4; i++) {
      if (b.get() != expected.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
