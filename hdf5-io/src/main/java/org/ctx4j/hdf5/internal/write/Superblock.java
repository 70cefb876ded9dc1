package org.ctx4j.hdf5.internal.write;

import java.nio.ByteBuffer;

/**
 * The version-0 superblock (96 bytes at address 0 with 8-byte offsets and lengths), written last:
 * until then the first 96 bytes are zeros and no HDF5 reader recognises the file.
 */
final class Superblock {
  static final int SIZE = 96;
  private static final byte[] SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

  private Superblock() {}

  static ByteBuffer encode(long endOfFile, long rootHeaderAddress, RootIndex.Location root) {
    ByteBuffer b = HeaderMessages.little(SIZE);
    b.put(SIGNATURE);
    b.put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0); // versions, reserved
    b.put((byte) 0).put((byte) 8).put((byte) 8).put((byte) 0); // shared header version, sizes
    b.putShort((short) RootIndex.LEAF_K).putShort((short) RootIndex.INTERNAL_K);
    b.putInt(0); // file consistency flags
    b.putLong(0); // base address
    b.putLong(HeaderMessages.UNDEFINED_ADDRESS); // free-space info
    b.putLong(endOfFile);
    b.putLong(HeaderMessages.UNDEFINED_ADDRESS); // driver info
    // root group symbol table entry, caching the symbol table's addresses (cache type 1)
    b.putLong(0).putLong(rootHeaderAddress).putInt(1).putInt(0);
    b.putLong(root.btreeAddress()).putLong(root.localHeapAddress());
    return b.flip();
  }

  static ByteBuffer blank() {
    return ByteBuffer.allocate(SIZE);
  }
}
