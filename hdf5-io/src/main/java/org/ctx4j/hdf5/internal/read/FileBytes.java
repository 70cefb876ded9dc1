package org.ctx4j.hdf5.internal.read;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.LongAdder;
import org.ctx4j.Hdf5FileException;
import org.ctx4j.Hdf5FormatException;

/**
 * Positional, thread-safe reads of a file ({@code pread}: no shared file position). Every read is
 * checked against the file size, so a truncated or corrupt file gives an {@link
 * Hdf5FormatException} naming the wanted range, never a short buffer or a huge allocation.
 *
 * <p>A {@link FileChannel} is closed for everyone when a thread reading it is interrupted; this
 * class re-opens it for the other threads (the interrupted read itself fails).
 */
public final class FileBytes implements AutoCloseable {
  /** Upper bound for one read: anything larger in a context file means corruption. */
  static final int MAX_READ = 1 << 30;

  /**
   * Reads and bytes read by all instances: what the read-path tests check (how much opening a
   * file with 123,287 images reads). Package-private: tests reach them through a helper of their
   * own in this package; no API exposes them.
   */
  static final LongAdder READS = new LongAdder();

  static final LongAdder BYTES_READ = new LongAdder();

  private final Path file;
  private final long size;
  private volatile FileChannel channel;
  private volatile boolean closed;

  private FileBytes(Path file, FileChannel channel, long size) {
    this.file = file;
    this.channel = channel;
    this.size = size;
  }

  /** Opens {@code file} read-only. */
  public static FileBytes open(Path file) {
    try {
      FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
      return new FileBytes(file, ch, ch.size());
    } catch (IOException e) {
      throw new Hdf5FileException(file, null, "cannot open " + file + ": " + e, e);
    }
  }

  public Path file() {
    return file;
  }

  public long size() {
    return size;
  }

  /**
   * Reads {@code length} bytes at absolute {@code position}, little-endian.
   *
   * @param what what is being read, for the error message (e.g. "symbol table node")
   */
  public ByteBuffer read(long position, long length, String what) {
    checkRange(position, length, what);
    READS.increment();
    BYTES_READ.add(length);
    ByteBuffer buf = ByteBuffer.allocate((int) length).order(ByteOrder.LITTLE_ENDIAN);
    readFully(buf, position, what);
    return buf.flip();
  }

  /**
   * Fills {@code dst} (its remaining bytes) from absolute {@code position}: for callers that reuse
   * one buffer, e.g. per image of a merge, instead of touching fresh memory for every read.
   */
  public void readInto(ByteBuffer dst, long position, String what) {
    checkRange(position, dst.remaining(), what);
    READS.increment();
    BYTES_READ.add(dst.remaining());
    readFully(dst.slice(), position, what); // a slice: a retry's clear() must not widen dst
    dst.position(dst.limit());
  }

  private void checkRange(long position, long length, String what) {
    if (position < 0 || length < 0 || length > MAX_READ || position > size - length) {
      throw new Hdf5FormatException(
          file,
          null,
          String.format(
              java.util.Locale.ROOT,
              "truncated or corrupt file %s: %s needs bytes [%d, %d) but the file has %d bytes",
              file,
              what,
              position,
              position + length,
              size));
    }
  }

  /** Reads up to {@code length} bytes at {@code position}, fewer if the file ends first. */
  public ByteBuffer readUpTo(long position, int length, String what) {
    long available = Math.max(0, size - Math.max(0, position));
    return read(position, Math.min(length, available), what);
  }

  private void readFully(ByteBuffer buf, long position, String what) {
    for (int attempt = 0; ; attempt++) {
      FileChannel ch = channel;
      try {
        long pos = position;
        while (buf.hasRemaining()) {
          int n = ch.read(buf, pos);
          if (n < 0) {
            throw new Hdf5FormatException(
                file, null, "file " + file + " ended while reading " + what + " at " + pos);
          }
          pos += n;
        }
        return;
      } catch (ClosedByInterruptException e) {
        reopenAfterInterrupt(ch);
        Thread.currentThread().interrupt();
        throw new Hdf5FileException(file, null, "interrupted while reading " + file, e);
      } catch (ClosedChannelException e) {
        if (closed) {
          throw new IllegalStateException("closed: " + file, e);
        }
        if (attempt > 2) {
          throw new Hdf5FileException(file, null, "cannot read " + file + ": " + e, e);
        }
        reopenAfterInterrupt(ch);
        buf.clear();
      } catch (IOException e) {
        throw new Hdf5FileException(file, null, "cannot read " + what + " of " + file + ": " + e, e);
      }
    }
  }

  private synchronized void reopenAfterInterrupt(FileChannel broken) {
    if (closed || channel != broken) {
      return;
    }
    try {
      channel = FileChannel.open(file, StandardOpenOption.READ);
    } catch (IOException e) {
      throw new Hdf5FileException(file, null, "cannot re-open " + file + ": " + e, e);
    }
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      try {
        channel.close();
      } catch (IOException e) {
        throw new Hdf5FileException(file, null, "cannot close " + file + ": " + e, e);
      }
    }
  }
}
