package org.ctx4j.hdf5.internal.write;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One global heap collection ("GCOL") being filled with variable-length strings. Strings are
 * encoded into a growing byte array; {@link #writeTo} appends the collection and then the caller
 * can produce the 16-byte references (length, collection address, object index) of every string.
 *
 * <p>libhdf5 reads at least 4096 bytes for a collection, so a smaller one is padded with a
 * free-space object, exactly as libhdf5 does.
 */
final class GlobalHeapCollection {
  static final int MIN_SIZE = 4096;
  /** Object indices are 16-bit and index 0 is the free space. */
  static final int MAX_OBJECTS = 65535;

  private byte[] payload = new byte[8192];
  private int payloadBytes;
  private int[] lengths = new int[256];
  private int count;
  private long address = -1;

  int count() {
    return count;
  }

  /** Bytes a collection of {@code strings} strings of {@code meanBytes} UTF-8 bytes occupies. */
  static long estimatedSize(long strings, double meanBytes) {
    long raw = 32 + (long) Math.ceil(strings * (16 + HeaderMessages.padded((int) Math.ceil(meanBytes))));
    return Math.max(MIN_SIZE, raw);
  }

  /** Bytes the collection will occupy if written now. */
  long size() {
    long raw = 16 + payloadBytes + 16;
    return Math.max(MIN_SIZE, raw);
  }

  /** Adds a string; returns its object index (1-based). */
  int add(String text) {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    int paddedLen = HeaderMessages.padded(utf8.length);
    int need = 16 + paddedLen;
    if (payloadBytes + need > payload.length) {
      payload = Arrays.copyOf(payload, Math.max(payload.length * 2, payloadBytes + need));
    }
    if (count == lengths.length) {
      lengths = Arrays.copyOf(lengths, count * 2);
    }
    int index = ++count;
    int p = payloadBytes;
    putShort(p, index);
    putShort(p + 2, 0); // reference count: libhdf5 leaves 0 for dataset-owned strings
    putLong(p + 8, utf8.length);
    System.arraycopy(utf8, 0, payload, p + 16, utf8.length);
    payloadBytes += need;
    lengths[index - 1] = utf8.length;
    return index;
  }

  int length(int index) {
    return lengths[index - 1];
  }

  long address() {
    return address;
  }

  private void putShort(int at, int v) {
    payload[at] = (byte) v;
    payload[at + 1] = (byte) (v >>> 8);
  }

  private void putLong(int at, long v) {
    for (int i = 0; i < 8; i++) {
      payload[at + i] = (byte) (v >>> (8 * i));
    }
  }

  /** Appends the collection (8-byte aligned) and remembers its address. */
  long writeTo(FileSink sink) throws IOException {
    sink.align(8);
    address = sink.position();
    long size = size();
    sink.putAscii("GCOL");
    sink.putByte(1);
    sink.putByte(0);
    sink.putShort(0);
    sink.putLong(size);
    sink.putBytes(payload, 0, payloadBytes);
    long free = size - 16 - payloadBytes;
    if (free >= 16) {
      sink.putShort(0);
      sink.putShort(0);
      sink.putInt(0);
      sink.putLong(free);
      sink.putZeros(free - 16);
    } else {
      sink.putZeros(free);
    }
    return address;
  }

  /** Appends the 16-byte reference of object {@code index} (after {@link #writeTo}). */
  void putReference(FileSink sink, int index) throws IOException {
    sink.putInt(lengths[index - 1]);
    sink.putLong(address);
    sink.putInt(index);
  }
}
