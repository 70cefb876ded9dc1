package org.ctx4j.hdf5.internal.write;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.ctx4j.IncompatibleContextFileException;

/**
 * Turns a finished file that this package wrote back into the state of an interrupted run: reads
 * the writer's trailer (descriptor and end of image data, stored just before the root group's
 * local heap, outside any HDF5 object) and the root symbol table (every image id and object header
 * address), so that {@link AppendableHdf5File} can write a journal, rename the file back to
 * {@code .partial} and truncate the old root index away.
 *
 * <p>Only files written by ctx4j carry the trailer; any other HDF5 file is refused.
 */
final class FinishedFileReopener {
  static final long TRAILER_MAGIC = 0x52544a5854584343L; // "CCTXJTR" + 'R', little-endian

  /** What a finished file holds. */
  record State(String descriptor, long dataEnd, long[] ids, long[] addresses) {}

  private final Path file;
  private final FileChannel channel;

  private FinishedFileReopener(Path file, FileChannel channel) {
    this.file = file;
    this.channel = channel;
  }

  /** Appends the trailer: descriptor, its length, the data end, magic (read backwards). */
  static void writeTrailer(FileSink sink, String descriptor, long dataEnd) throws IOException {
    byte[] d = descriptor.getBytes(StandardCharsets.UTF_8);
    sink.putBytes(d);
    sink.putZeros(HeaderMessages.padded(d.length) - d.length);
    sink.putLong(d.length);
    sink.putLong(dataEnd);
    sink.putLong(TRAILER_MAGIC);
  }

  static State read(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return new FinishedFileReopener(file, ch).read();
    }
  }

  private ByteBuffer bytes(long address, int length) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    while (b.hasRemaining()) {
      if (channel.read(b, address + b.position()) < 0) {
        throw notOurs("ends before byte " + (address + length));
      }
    }
    return b.flip();
  }

  private IncompatibleContextFileException notOurs(String why) {
    return new IncompatibleContextFileException(
        file, file + " cannot be reopened for appending (" + why + "); only files written by ctx4j can");
  }

  private State read() throws IOException {
    ByteBuffer sb = bytes(0, Superblock.SIZE);
    if (sb.getLong(0) != 0x0a1a0a0d46444889L
        || sb.get(8) != 0
        || sb.getShort(16) != RootIndex.LEAF_K
        || sb.getShort(18) != RootIndex.INTERNAL_K
        || sb.getInt(72) != 1) {
      throw notOurs("not a version-0 superblock with ctx4j's group node sizes");
    }
    return readFrom(sb.getLong(80), sb.getLong(88));
  }

  private State readFrom(long btree, long heap) throws IOException {
    if (heap < 24) {
      throw notOurs("no writer trailer");
    }
    ByteBuffer tail = bytes(heap - 24, 24);
    if (tail.getLong(16) != TRAILER_MAGIC) {
      throw notOurs("no writer trailer");
    }
    long length = tail.getLong(0);
    long dataEnd = tail.getLong(8);
    long descriptorAt = heap - 24 - HeaderMessages.padded((int) length);
    String descriptor =
        new String(bytes(descriptorAt, (int) length).array(), StandardCharsets.UTF_8);

    ByteBuffer heapHeader = bytes(heap, 32);
    long dataSize = heapHeader.getLong(8);
    byte[] names = bytes(heapHeader.getLong(24), Math.toIntExact(dataSize)).array();

    long[][] out = {new long[1024], new long[1024]};
    int[] count = {0};
    walk(btree, names, out, count);
    return new State(
        descriptor, dataEnd, Arrays.copyOf(out[0], count[0]), Arrays.copyOf(out[1], count[0]));
  }

  private void walk(long node, byte[] names, long[][] out, int[] count) throws IOException {
    int nodeBytes = 24 + (2 * RootIndex.INTERNAL_K + 1) * 8 + 2 * RootIndex.INTERNAL_K * 8;
    ByteBuffer b = bytes(node, nodeBytes);
    if (b.getInt(0) != 0x45455254) { // "TREE"
      throw notOurs("bad B-tree node at " + node);
    }
    int level = b.get(5);
    int entries = Short.toUnsignedInt(b.getShort(6));
    for (int i = 0; i < entries; i++) {
      long child = b.getLong(24 + 8 + 16 * i);
      if (level > 0) {
        walk(child, names, out, count);
      } else {
        readSymbolNode(child, names, out, count);
      }
    }
  }

  private void readSymbolNode(long address, byte[] names, long[][] out, int[] count)
      throws IOException {
    ByteBuffer b = bytes(address, 8 + 2 * RootIndex.LEAF_K * 40);
    if (b.getInt(0) != 0x444f4e53) { // "SNOD"
      throw notOurs("bad symbol table node at " + address);
    }
    int n = Short.toUnsignedInt(b.getShort(6));
    for (int i = 0; i < n; i++) {
      int at = 8 + 40 * i;
      int nameAt = Math.toIntExact(b.getLong(at));
      int end = nameAt;
      while (names[end] != 0) {
        end++;
      }
      String name = new String(names, nameAt, end - nameAt, StandardCharsets.US_ASCII);
      if (count[0] == out[0].length) {
        out[0] = Arrays.copyOf(out[0], count[0] * 2);
        out[1] = Arrays.copyOf(out[1], count[0] * 2);
      }
      try {
        out[0][count[0]] = Long.parseLong(name);
      } catch (NumberFormatException e) {
        throw notOurs("root member " + name + " is not an image id");
      }
      out[1][count[0]] = b.getLong(at + 8);
      count[0]++;
    }
  }
}
