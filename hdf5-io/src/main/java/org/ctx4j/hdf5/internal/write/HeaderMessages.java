package org.ctx4j.hdf5.internal.write;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Encoders for the HDF5 object header messages our files use, byte for byte as libhdf5 1.10
 * writes them for h5py with default settings (HDF5 File Format Specification version 3.0,
 * section IV.A.2). Each method returns the message body padded to a multiple of 8 bytes, as
 * version-1 object headers require.
 */
final class HeaderMessages {
  static final int NIL = 0x0000;
  static final int DATASPACE = 0x0001;
  static final int LINK_INFO = 0x0002;
  static final int DATATYPE = 0x0003;
  static final int FILL_VALUE = 0x0005;
  static final int LINK = 0x0006;
  static final int LAYOUT = 0x0008;
  static final int GROUP_INFO = 0x000A;
  static final int ATTRIBUTE = 0x000C;
  static final int SYMBOL_TABLE = 0x0011;

  /** The "undefined address" of the specification: all bits set. */
  static final long UNDEFINED_ADDRESS = -1L;

  /** Element types of our datasets and attributes. */
  enum ElementType {
    FLOAT32(4),
    INT32(4),
    INT64(8),
    /** Variable-length UTF-8 string: 4-byte length, 8-byte global heap address, 4-byte index. */
    VLEN_UTF8(16);

    final int size;

    ElementType(int size) {
      this.size = size;
    }
  }

  private HeaderMessages() {}

  static ByteBuffer little(int capacity) {
    return ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN);
  }

  static int padded(int size) {
    return (size + 7) & ~7;
  }

  private static byte[] finish(ByteBuffer body) {
    byte[] out = new byte[padded(body.position())];
    System.arraycopy(body.array(), 0, out, 0, body.position());
    return out;
  }

  /** Dataspace message version 1; rank 0 means scalar. Max dims equal dims, as h5py writes. */
  static byte[] dataspace(long[] dims) {
    ByteBuffer b = little(8 + 16 * dims.length);
    b.put((byte) 1).put((byte) dims.length).put((byte) (dims.length > 0 ? 1 : 0)).put((byte) 0);
    b.putInt(0);
    for (long d : dims) {
      b.putLong(d);
    }
    for (long d : dims) {
      b.putLong(d);
    }
    return finish(b);
  }

  /** Datatype message (version 1) for one of our element types, unpadded. */
  static byte[] datatypeUnpadded(ElementType type) {
    ByteBuffer b = little(32);
    switch (type) {
      case FLOAT32:
        // class 1 (floating point), LE, mantissa normalisation "msb implied", sign at bit 31
        b.put((byte) 0x11).put((byte) 0x20).put((byte) 0x1f).put((byte) 0).putInt(4);
        b.putShort((short) 0).putShort((short) 32);
        b.put((byte) 23).put((byte) 8).put((byte) 0).put((byte) 23).putInt(127);
        break;
      case INT32:
      case INT64:
        // class 0 (fixed point), LE, signed
        b.put((byte) 0x10).put((byte) 0x08).put((byte) 0).put((byte) 0).putInt(type.size);
        b.putShort((short) 0).putShort((short) (8 * type.size));
        break;
      case VLEN_UTF8:
        // class 9 (variable length), type string, null-terminated padding, UTF-8; base: uint8
        b.put((byte) 0x19).put((byte) 0x01).put((byte) 0x01).put((byte) 0).putInt(16);
        b.put((byte) 0x10).put((byte) 0).put((byte) 0).put((byte) 0).putInt(1);
        b.putShort((short) 0).putShort((short) 8);
        break;
      default:
        throw new AssertionError(type);
    }
    byte[] out = new byte[b.position()];
    System.arraycopy(b.array(), 0, out, 0, out.length);
    return out;
  }

  static byte[] datatype(ElementType type) {
    byte[] raw = datatypeUnpadded(type);
    byte[] out = new byte[padded(raw.length)];
    System.arraycopy(raw, 0, out, 0, raw.length);
    return out;
  }

  /**
   * Fill value message version 2 as h5py leaves it: allocation late, default fill value; fill
   * time "if set" for numbers, "on allocation" for variable-length strings.
   */
  static byte[] fillValue(ElementType type) {
    int fillTime = type == ElementType.VLEN_UTF8 ? 0 : 2;
    return new byte[] {2, 2, (byte) fillTime, 1, 0, 0, 0, 0};
  }

  /** Data layout message version 3, contiguous. */
  static byte[] contiguousLayout(long address, long size) {
    ByteBuffer b = little(24);
    b.put((byte) 3).put((byte) 1).putLong(address).putLong(size);
    return finish(b);
  }

  /** Symbol table message: the v1 B-tree and local heap of an old-style group. */
  static byte[] symbolTable(long btreeAddress, long localHeapAddress) {
    ByteBuffer b = little(16);
    b.putLong(btreeAddress).putLong(localHeapAddress);
    return finish(b);
  }

  /** Link info message version 0 of a compact new-style group: no creation order, no heap. */
  static byte[] linkInfo() {
    ByteBuffer b = little(24);
    b.put((byte) 0).put((byte) 0).putLong(UNDEFINED_ADDRESS).putLong(UNDEFINED_ADDRESS);
    return finish(b);
  }

  /** Group info message version 0 with default phase change values. */
  static byte[] groupInfo() {
    return new byte[] {0, 0, 0, 0, 0, 0, 0, 0};
  }

  /** Link message version 1: a hard link named {@code name} (ASCII, < 256 bytes). */
  static byte[] hardLink(String name, long objectHeaderAddress) {
    byte[] n = name.getBytes(StandardCharsets.US_ASCII);
    ByteBuffer b = little(16 + n.length);
    b.put((byte) 1).put((byte) 0).put((byte) n.length).put(n).putLong(objectHeaderAddress);
    return finish(b);
  }

  /** Attribute message version 1 with an ASCII name. */
  static byte[] attribute(String name, ElementType type, long[] dims, byte[] data) {
    byte[] n = (name + '\0').getBytes(StandardCharsets.US_ASCII);
    byte[] dt = datatypeUnpadded(type);
    byte[] ds = dataspace(dims);
    int dsUnpadded = 8 + 16 * dims.length;
    ByteBuffer b = little(8 + padded(n.length) + padded(dt.length) + ds.length + data.length);
    b.put((byte) 1).put((byte) 0).putShort((short) n.length).putShort((short) dt.length);
    b.putShort((short) dsUnpadded);
    b.put(n).position(8 + padded(n.length));
    b.put(dt).position(8 + padded(n.length) + padded(dt.length));
    b.put(ds);
    b.put(data);
    return finish(b);
  }
}
