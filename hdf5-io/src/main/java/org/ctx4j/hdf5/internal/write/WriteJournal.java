package org.ctx4j.hdf5.internal.write;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * The append-only journal beside a {@code .partial} file: a header naming what is being written
 * (the descriptor: format, shape, provenance), then one 32-byte record per completed image
 * (id, object header address, end of its bytes, CRC-32). A record is appended only after the bytes
 * it vouches for were forced to disk, so a record present means its image is intact; a torn last
 * record fails its CRC and is dropped.
 */
final class WriteJournal implements AutoCloseable {
  private static final long MAGIC = 0x314C4E4A_58544343L; // "CCTXJNL1" little-endian
  static final int RECORD_BYTES = 32;

  /** A completed image as recorded. */
  record Entry(long id, long address, long end) {}

  private final FileChannel channel;
  private long size;

  private WriteJournal(FileChannel channel, long size) {
    this.channel = channel;
    this.size = size;
  }

  /** Creates a fresh journal for {@code descriptor}, durable before it returns. */
  static WriteJournal create(Path path, String descriptor) throws IOException {
    FileChannel ch =
        FileChannel.open(
            path,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE,
            StandardOpenOption.READ);
    byte[] d = descriptor.getBytes(StandardCharsets.UTF_8);
    ByteBuffer header = ByteBuffer.allocate(16 + d.length).order(ByteOrder.LITTLE_ENDIAN);
    header.putLong(MAGIC).putInt(d.length).putInt(crc(d, 0, d.length)).put(d).flip();
    long pos = 0;
    while (header.hasRemaining()) {
      pos += ch.write(header, pos);
    }
    ch.force(true);
    return new WriteJournal(ch, pos);
  }

  /** What an existing journal holds; {@code descriptor} is null if its header is unreadable. */
  record Contents(String descriptor, long[] ids, long[] addresses, long[] ends, long validBytes) {}

  static Contents read(Path path) throws IOException {
    byte[] all = Files.readAllBytes(path);
    ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
    if (all.length < 16 || b.getLong() != MAGIC) {
      return new Contents(null, new long[0], new long[0], new long[0], 0);
    }
    int len = b.getInt();
    int expected = b.getInt();
    if (len < 0 || 16L + len > all.length || crc(all, 16, len) != expected) {
      return new Contents(null, new long[0], new long[0], new long[0], 0);
    }
    String descriptor = new String(all, 16, len, StandardCharsets.UTF_8);
    int start = 16 + len;
    int n = (all.length - start) / RECORD_BYTES;
    long[] ids = new long[n];
    long[] addresses = new long[n];
    long[] ends = new long[n];
    int good = 0;
    for (int i = 0; i < n; i++) {
      int at = start + i * RECORD_BYTES;
      if (crc(all, at, 24) != b.getInt(at + 24)) {
        break;
      }
      ids[good] = b.getLong(at);
      addresses[good] = b.getLong(at + 8);
      ends[good] = b.getLong(at + 16);
      good++;
    }
    return new Contents(
        descriptor,
        Arrays.copyOf(ids, good),
        Arrays.copyOf(addresses, good),
        Arrays.copyOf(ends, good),
        start + (long) good * RECORD_BYTES);
  }

  /** Reopens a journal for appending after its first {@code validBytes} (drops a torn tail). */
  static WriteJournal reopen(Path path, long validBytes) throws IOException {
    FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.READ);
    ch.truncate(validBytes);
    return new WriteJournal(ch, validBytes);
  }

  /** Appends records and forces them to disk. */
  void append(long[] ids, long[] addresses, long[] ends, int count) throws IOException {
    if (count == 0) {
      return;
    }
    ByteBuffer b = ByteBuffer.allocate(count * RECORD_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < count; i++) {
      int at = i * RECORD_BYTES;
      b.putLong(at, ids[i]).putLong(at + 8, addresses[i]).putLong(at + 16, ends[i]);
      b.putInt(at + 24, crc(b.array(), at, 24));
    }
    while (b.hasRemaining()) {
      size += channel.write(b, size);
    }
    channel.force(false);
  }

  private static int crc(byte[] bytes, int offset, int length) {
    CRC32 c = new CRC32();
    c.update(bytes, offset, length);
    return (int) c.getValue();
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
