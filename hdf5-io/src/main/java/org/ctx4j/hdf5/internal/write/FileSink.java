package org.ctx4j.hdf5.internal.write;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

/**
 * Appends little-endian bytes to a file through one large direct buffer, tracking the logical end
 * of file ({@link #position()}), which is the address the next byte will get. Positional writes
 * ({@link #writeAt}) go straight to the channel after flushing the buffer.
 *
 * <p>Not thread-safe; the owning writer serialises access. Does not own the channel.
 */
final class FileSink {
  /** Large enough that one txt_ctx image at d=512 (~0.5 MB) costs a handful of write calls. */
  static final int BUFFER_BYTES = 8 << 20;

  private final FileChannel channel;
  private final ByteBuffer buffer;
  private long flushedEnd;

  FileSink(FileChannel channel, long start) {
    this.channel = channel;
    this.buffer = ByteBuffer.allocateDirect(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    this.flushedEnd = start;
  }

  /** The file address the next appended byte gets. */
  long position() {
    return flushedEnd + buffer.position();
  }

  private void ensure(int bytes) throws IOException {
    if (buffer.remaining() < bytes) {
      flush();
    }
  }

  void putByte(int value) throws IOException {
    ensure(1);
    buffer.put((byte) value);
  }

  void putShort(int value) throws IOException {
    ensure(2);
    buffer.putShort((short) value);
  }

  void putInt(int value) throws IOException {
    ensure(4);
    buffer.putInt(value);
  }

  void putLong(long value) throws IOException {
    ensure(8);
    buffer.putLong(value);
  }

  void putBytes(byte[] bytes) throws IOException {
    putBytes(bytes, 0, bytes.length);
  }

  void putBytes(byte[] bytes, int offset, int length) throws IOException {
    while (length > 0) {
      ensure(1);
      int n = Math.min(length, buffer.remaining());
      buffer.put(bytes, offset, n);
      offset += n;
      length -= n;
    }
  }

  /** Appends the remaining bytes of {@code bytes}, leaving its position at its limit. */
  void putBytes(ByteBuffer bytes) throws IOException {
    while (bytes.hasRemaining()) {
      ensure(1);
      int n = Math.min(bytes.remaining(), buffer.remaining());
      buffer.put(bytes.slice().limit(n));
      bytes.position(bytes.position() + n);
    }
  }

  void putAscii(String text) throws IOException {
    putBytes(text.getBytes(StandardCharsets.US_ASCII));
  }

  void putFloats(float[] values, int offset, int length) throws IOException {
    while (length > 0) {
      ensure(4);
      int n = Math.min(length, buffer.remaining() / 4);
      buffer.asFloatBuffer().put(values, offset, n);
      buffer.position(buffer.position() + 4 * n);
      offset += n;
      length -= n;
    }
  }

  void putInts(int[] values, int offset, int length) throws IOException {
    while (length > 0) {
      ensure(4);
      int n = Math.min(length, buffer.remaining() / 4);
      buffer.asIntBuffer().put(values, offset, n);
      buffer.position(buffer.position() + 4 * n);
      offset += n;
      length -= n;
    }
  }

  void putZeros(long count) throws IOException {
    while (count > 0) {
      ensure(1);
      int n = (int) Math.min(count, buffer.remaining());
      for (int i = 0; i < n; i++) {
        buffer.put((byte) 0);
      }
      count -= n;
    }
  }

  /** Pads with zeros up to the next multiple of {@code alignment} (a power of two). */
  void align(int alignment) throws IOException {
    long pos = position();
    long aligned = (pos + alignment - 1) & -alignment;
    putZeros(aligned - pos);
  }

  /** Skips {@code count} bytes without writing them (they read as zeros or keep old content). */
  void skip(long count) throws IOException {
    flush();
    flushedEnd += count;
  }

  /** Hands everything buffered to the operating system (survives kill -9, not power loss). */
  void flush() throws IOException {
    buffer.flip();
    while (buffer.hasRemaining()) {
      flushedEnd += channel.write(buffer, flushedEnd);
    }
    buffer.clear();
  }

  /** Writes {@code bytes} at an absolute address below the appended region. */
  void writeAt(long address, ByteBuffer bytes) throws IOException {
    flush();
    long pos = address;
    while (bytes.hasRemaining()) {
      pos += channel.write(bytes, pos);
    }
  }
}
