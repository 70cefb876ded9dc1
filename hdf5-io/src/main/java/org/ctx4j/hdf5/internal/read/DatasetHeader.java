package org.ctx4j.hdf5.internal.read;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * What the direct reader needs from a dataset's object header: shape, element type and where the
 * data lies (contiguous address or the bytes of a compact dataset). Chunked or filtered storage,
 * shared datatypes and types other than those our files use throw {@link
 * UnsupportedStructureException}.
 */
record DatasetHeader(
    String path,
    long[] dims,
    ElementType type,
    int elementSize,
    long dataAddress,
    ByteBuffer compactData) {

  /** The element types context files use. */
  enum ElementType {
    FLOAT32,
    INT32,
    INT64,
    VLEN_STRING,
    FIXED_STRING
  }

  long elementCount() {
    long n = 1;
    for (long d : dims) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  static DatasetHeader parse(HdfStructure file, ObjectHeader header, String path) {
    ObjectHeader.Message space = header.find(ObjectHeader.DATASPACE);
    ObjectHeader.Message type = header.find(ObjectHeader.DATATYPE);
    ObjectHeader.Message layout = header.find(ObjectHeader.LAYOUT);
    if (space == null || type == null || layout == null) {
      throw file.corrupt(path, "dataset header lacks its dataspace, datatype or layout");
    }
    if (type.shared() || space.shared()) {
      throw new UnsupportedStructureException("shared datatype/dataspace in " + path);
    }
    long[] dims = dims(file, space.body().duplicate().order(space.body().order()), path);
    ByteBuffer t = type.body().duplicate().order(type.body().order());
    int classAndVersion = Byte.toUnsignedInt(t.get());
    int bits = Byte.toUnsignedInt(t.get()) | Byte.toUnsignedInt(t.get()) << 8 | Byte.toUnsignedInt(t.get()) << 16;
    int size = t.getInt();
    ElementType element = elementType(classAndVersion & 0x0F, bits, size, t, path);

    ByteBuffer l = layout.body().duplicate().order(layout.body().order());
    int version = Byte.toUnsignedInt(l.get());
    if (version != 3) {
      throw new UnsupportedStructureException("layout message version " + version + " in " + path);
    }
    int layoutClass = Byte.toUnsignedInt(l.get());
    long storageBytes;
    DatasetHeader result;
    long bytesNeeded = Math.multiplyExact(elementCountOf(dims), (long) size);
    if (layoutClass == 0) {
      int compactSize = Short.toUnsignedInt(l.getShort());
      if (compactSize > l.remaining()) {
        throw file.corrupt(path, "compact data of " + compactSize + " bytes overruns its message");
      }
      storageBytes = compactSize;
      result = new DatasetHeader(path, dims, element, size, -1, l.slice().limit(compactSize).order(l.order()));
    } else if (layoutClass == 1) {
      long address = Fields.offset(l, file.offsetSize());
      storageBytes = Fields.unsigned(l, file.lengthSize());
      if (address == Fields.UNDEFINED) {
        throw new UnsupportedStructureException("never-written dataset " + path);
      }
      if (address < 0 || storageBytes < 0 || file.absolute(address) > file.bytes().size() - storageBytes) {
        throw file.corrupt(
            path,
            "dataset data [" + address + ", +" + storageBytes + ") lies beyond the end of the file ("
                + file.bytes().size() + " bytes): truncated file");
      }
      result = new DatasetHeader(path, dims, element, size, address, null);
    } else {
      throw new UnsupportedStructureException("layout class " + layoutClass + " in " + path);
    }
    if (storageBytes < bytesNeeded) {
      throw file.corrupt(path, "dataset of shape " + java.util.Arrays.toString(dims) + " needs "
          + bytesNeeded + " bytes but stores " + storageBytes);
    }
    return result;
  }

  private static long elementCountOf(long[] dims) {
    long n = 1;
    for (long d : dims) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  private static long[] dims(HdfStructure file, ByteBuffer b, String path) {
    int version = Byte.toUnsignedInt(b.get());
    int rank = Byte.toUnsignedInt(b.get());
    b.get(); // flags
    if (version == 1) {
      b.position(b.position() + 5);
    } else if (version == 2) {
      int type = Byte.toUnsignedInt(b.get());
      if (type == 2) {
        throw new UnsupportedStructureException("null dataspace in " + path);
      }
    } else {
      throw file.corrupt(path, "unknown dataspace version " + version);
    }
    if (rank > 32 || b.remaining() < rank * file.lengthSize()) {
      throw file.corrupt(path, "dataspace of rank " + rank + " does not fit its message");
    }
    long[] dims = new long[rank];
    for (int i = 0; i < rank; i++) {
      dims[i] = Fields.unsigned(b, file.lengthSize());
      if (dims[i] < 0) {
        throw file.corrupt(path, "negative dimension " + dims[i]);
      }
    }
    return dims;
  }

  private static ElementType elementType(int cls, int bits, int size, ByteBuffer props, String path) {
    boolean littleEndian = (bits & 1) == 0;
    switch (cls) {
      case 0:
        if (littleEndian && (bits & 0x08) != 0 && (size == 4 || size == 8)) {
          return size == 4 ? ElementType.INT32 : ElementType.INT64;
        }
        break;
      case 1:
        if (littleEndian && (bits & 0x40) == 0 && size == 4) {
          return ElementType.FLOAT32;
        }
        break;
      case 3:
        if (size > 0) {
          return ElementType.FIXED_STRING;
        }
        break;
      case 9:
        if ((bits & 0x0F) == 1) {
          return ElementType.VLEN_STRING;
        }
        break;
      default:
        break;
    }
    throw new UnsupportedStructureException("datatype class " + cls + " size " + size + " in " + path);
  }

  /** Decodes a fixed-length string element (NUL-terminated or NUL-padded, UTF-8 or ASCII). */
  static String fixedString(byte[] raw) {
    int end = raw.length;
    for (int i = 0; i < end; i++) {
      if (raw[i] == 0) {
        end = i;
        break;
      }
    }
    return new String(raw, 0, end, StandardCharsets.UTF_8);
  }
}
