package org.ctx4j.hdf5.internal.read;

import java.nio.ByteBuffer;
import org.ctx4j.Hdf5FormatException;

/**
 * Direct reads of the HDF5 structures h5py writes by default (superblock 0/1, version 1 object
 * headers, old-style groups, contiguous or compact datasets). Everything else throws {@link
 * UnsupportedStructureException} so that {@link ContextReader} can ask jhdf instead. Thread-safe.
 */
final class HdfStructure {
  private final FileBytes bytes;
  private final Superblock superblock;
  private final ObjectHeader rootHeader;
  private final SymbolTable root;

  private HdfStructure(FileBytes bytes, Superblock superblock) {
    this.bytes = bytes;
    this.superblock = superblock;
    this.rootHeader = header(superblock.rootHeaderAddress(), "/");
    try {
      this.root = SymbolTable.of(this, rootHeader, "/", true);
    } catch (SymbolTable.NotAGroupException e) {
      throw corrupt("/", "the root object is not a group");
    }
  }

  ObjectHeader rootHeader() {
    return rootHeader;
  }

  /** Parses the superblock and root group; throws Unsupported for files jhdf must read. */
  static HdfStructure open(FileBytes bytes) {
    return new HdfStructure(bytes, Superblock.read(bytes));
  }

  FileBytes bytes() {
    return bytes;
  }

  int offsetSize() {
    return superblock.offsetSize();
  }

  int lengthSize() {
    return superblock.lengthSize();
  }

  /** Whether addresses are absolute file offsets of 8 bytes (base 0), as ctx4j writes them. */
  boolean plainAddresses() {
    return superblock.baseAddress() == 0 && offsetSize() == 8 && lengthSize() == 8;
  }

  long absolute(long address) {
    if (address == Fields.UNDEFINED || address < 0 || address > superblock.endOfFile()) {
      throw corrupt(null, "address " + address + " lies outside the file (end at " + superblock.endOfFile() + ")");
    }
    return superblock.baseAddress() + address;
  }

  Hdf5FormatException corrupt(String path, String message) {
    return new Hdf5FormatException(
        bytes.file(), path, "corrupt HDF5 file " + bytes.file() + (path == null ? "" : " at " + path) + ": " + message);
  }

  SymbolTable root() {
    return root;
  }

  ObjectHeader header(long address, String path) {
    return ObjectHeader.read(this, address, path);
  }

  /**
   * The members of the group with this header: old-style (symbol table) or new-style with compact
   * links; NotAGroupException for a dataset, Unsupported for dense link storage.
   */
  GroupMembers group(ObjectHeader header, String path) {
    if (header.address() == superblock.rootHeaderAddress()) {
      return root;
    }
    if (header.find(ObjectHeader.SYMBOL_TABLE) == null
        && (header.find(ObjectHeader.LINK_INFO) != null || header.find(ObjectHeader.LINK) != null)) {
      return CompactLinks.of(this, header, path);
    }
    return SymbolTable.of(this, header, path, false);
  }

  DatasetHeader dataset(ObjectHeader header, String path) {
    return DatasetHeader.parse(this, header, path);
  }

  /** The bytes of elements {@code [start, start + count)} of a dataset. */
  ByteBuffer elements(DatasetHeader d, long start, int count) {
    long total = d.elementCount();
    if (start < 0 || count < 0 || start > total - count) {
      throw new IllegalArgumentException(
          "elements [" + start + ", " + (start + count) + ") outside " + total + " of " + d.path());
    }
    long offset = start * d.elementSize();
    long length = (long) count * d.elementSize();
    if (d.compactData() != null) {
      return d.compactData().slice((int) offset, (int) length).order(d.compactData().order());
    }
    return bytes.read(absolute(d.dataAddress()) + offset, length, "data of " + d.path());
  }

  float[] floats(DatasetHeader d, long start, int count) {
    if (d.type() != DatasetHeader.ElementType.FLOAT32) {
      throw new UnsupportedStructureException(d.type() + " read as float32 in " + d.path());
    }
    float[] out = new float[count];
    elements(d, start, count).asFloatBuffer().get(out);
    return out;
  }

  int[] ints(DatasetHeader d, long start, int count) {
    ByteBuffer b = elements(d, start, count);
    int[] out = new int[count];
    if (d.type() == DatasetHeader.ElementType.INT32) {
      b.asIntBuffer().get(out);
    } else if (d.type() == DatasetHeader.ElementType.INT64) {
      for (int i = 0; i < count; i++) {
        out[i] = Math.toIntExact(b.getLong());
      }
    } else {
      throw new UnsupportedStructureException(d.type() + " read as int in " + d.path());
    }
    return out;
  }

  String[] strings(DatasetHeader d, long start, int count) {
    ByteBuffer b = elements(d, start, count);
    String[] out = new String[count];
    if (d.type() == DatasetHeader.ElementType.FIXED_STRING) {
      byte[] raw = new byte[d.elementSize()];
      for (int i = 0; i < count; i++) {
        b.get(raw);
        out[i] = DatasetHeader.fixedString(raw);
      }
    } else if (d.type() == DatasetHeader.ElementType.VLEN_STRING) {
      GlobalHeap heap = new GlobalHeap(this, d.path());
      for (int i = 0; i < count; i++) {
        long length = Integer.toUnsignedLong(b.getInt());
        long collection = Fields.offset(b, offsetSize());
        int index = b.getInt();
        out[i] = heap.string(collection, index, length);
      }
    } else {
      throw new UnsupportedStructureException(d.type() + " read as strings in " + d.path());
    }
    return out;
  }
}
