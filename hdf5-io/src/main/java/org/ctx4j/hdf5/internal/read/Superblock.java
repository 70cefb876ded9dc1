package org.ctx4j.hdf5.internal.read;

import java.nio.ByteBuffer;
import java.util.Locale;
import org.ctx4j.Hdf5FormatException;

/**
 * The parts of a version 0/1 superblock that the direct reader needs. Later versions (written with
 * {@code libver="latest"}) make {@link #read} throw {@link UnsupportedStructureException}; jhdf
 * reads those files.
 */
record Superblock(
    int offsetSize, int lengthSize, long baseAddress, long endOfFile, long rootHeaderAddress) {

  private static final byte[] SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

  /** Finds and parses the superblock (at 0, 512, 1024, ...: a user block may precede it). */
  static Superblock read(FileBytes bytes) {
    long at = findSignature(bytes);
    ByteBuffer b = bytes.readUpTo(at, 256, "superblock");
    b.position(8);
    int version = Byte.toUnsignedInt(b.get());
    if (version > 1) {
      throw new UnsupportedStructureException("superblock version " + version);
    }
    b.position(13);
    int offsetSize = Byte.toUnsignedInt(b.get());
    int lengthSize = Byte.toUnsignedInt(b.get());
    if (!validSize(offsetSize) || !validSize(lengthSize)) {
      throw format(bytes, "superblock has invalid address/length sizes " + offsetSize + "/" + lengthSize);
    }
    b.position(version == 0 ? 24 : 28);
    if (b.remaining() < 4 * offsetSize + 2 * offsetSize + 8) {
      throw format(bytes, "superblock is truncated");
    }
    long base = Fields.offset(b, offsetSize);
    Fields.offset(b, offsetSize); // free-space info
    long eof = Fields.offset(b, offsetSize);
    Fields.offset(b, offsetSize); // driver info
    Fields.offset(b, offsetSize); // root entry: link name offset
    long rootHeader = Fields.offset(b, offsetSize);
    if (base != at && base != 0) {
      throw new UnsupportedStructureException("base address " + base + " with superblock at " + at);
    }
    long absoluteBase = at;
    if (eof == Fields.UNDEFINED || absoluteBase + eof > bytes.size()) {
      throw format(
          bytes,
          String.format(
              Locale.ROOT,
              "file %s is truncated: its superblock says it ends at byte %d but it has %d bytes",
              bytes.file(),
              absoluteBase + eof,
              bytes.size()));
    }
    return new Superblock(offsetSize, lengthSize, absoluteBase, eof, rootHeader);
  }

  private static long findSignature(FileBytes bytes) {
    if (bytes.size() == 0) {
      throw format(bytes, "file " + bytes.file() + " is empty (0 bytes), not an HDF5 file");
    }
    for (long at = 0; at + SIGNATURE.length <= bytes.size(); at = at == 0 ? 512 : at * 2) {
      ByteBuffer b = bytes.read(at, SIGNATURE.length, "superblock signature");
      boolean match = true;
      for (byte s : SIGNATURE) {
        match &= b.get() == s;
      }
      if (match) {
        return at;
      }
    }
    throw format(bytes, "file " + bytes.file() + " is not an HDF5 file (no HDF5 signature found)");
  }

  private static boolean validSize(int size) {
    return size == 2 || size == 4 || size == 8;
  }

  private static Hdf5FormatException format(FileBytes bytes, String message) {
    return new Hdf5FormatException(bytes.file(), null, message);
  }
}
