package org.ctx4j.hdf5.internal.read;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Resolves variable-length strings through global heap collections ({@code GCOL}). One instance
 * serves one request: each collection it touches is read once (one read of usually 4 KiB) and its
 * objects are located lazily, only as far as the highest index asked for, into two arrays (a
 * request for one crop's 16 strings of an image's 240 no longer indexes all 240 in a map).
 * Not thread-safe; create one per request.
 */
final class GlobalHeap {
  private final HdfStructure file;
  private final String path;
  private final Map<Long, Collection> collections = new HashMap<>();

  GlobalHeap(HdfStructure file, String path) {
    this.file = file;
    this.path = path;
  }

  /** The string stored as object {@code index} of the collection at {@code address}. */
  String string(long address, int index, long length) {
    if (length == 0) {
      return "";
    }
    Collection c = collection(address);
    int start = c.locate(index, address);
    int end = (int) Math.min(c.sizes[index], length);
    while (end > 0 && c.bytes.get(start + end - 1) == 0) {
      end--;
    }
    byte[] raw = new byte[end];
    c.bytes.get(start, raw);
    return new String(raw, StandardCharsets.UTF_8);
  }

  private Collection collection(long address) {
    Collection c = collections.get(address);
    if (c != null) {
      return c;
    }
    int l = file.lengthSize();
    ByteBuffer head = file.bytes().read(file.absolute(address), 8 + l, "global heap of " + path);
    if (!Fields.signature(head, "GCOL")) {
      throw file.corrupt(path, "global heap collection at " + address + " has no GCOL signature");
    }
    head.position(8);
    long size = Fields.unsigned(head, l);
    c = new Collection(file.bytes().read(file.absolute(address), size, "global heap of " + path), l);
    collections.put(address, c);
    return c;
  }

  /** One collection's bytes and where its objects start, found as far as asked. */
  private final class Collection {
    final ByteBuffer bytes;
    final int lengthSize;
    /** Data offset of object i ({@code 0}: not located yet). */
    int[] starts = new int[64];
    long[] sizes = new long[64];
    /** Offset of the next object header to walk; -1 once the walk reached the free space. */
    int next;

    Collection(ByteBuffer bytes, int lengthSize) {
      this.bytes = bytes;
      this.lengthSize = lengthSize;
      this.next = 8 + lengthSize;
    }

    /** Data offset of object {@code index}, walking headers until it is found. */
    int locate(int index, long address) {
      while ((index >= starts.length || starts[index] == 0) && next >= 0) {
        walkOne(address);
      }
      if (index < 0 || index >= starts.length || starts[index] == 0) {
        throw file.corrupt(path, "global heap collection at " + address + " has no object " + index);
      }
      return starts[index];
    }

    private void walkOne(long address) {
      int l = lengthSize;
      if (next + 8 + l > bytes.limit()) {
        next = -1;
        return;
      }
      int index = Short.toUnsignedInt(bytes.getShort(next));
      if (index == 0) {
        next = -1; // free space: the rest of the collection
        return;
      }
      bytes.position(next + 8);
      long objectSize = Fields.unsigned(bytes, l);
      int dataStart = next + 8 + l;
      if (objectSize < 0 || objectSize > bytes.limit() - dataStart) {
        throw file.corrupt(path, "global heap object " + index + " at " + address + " overruns its collection");
      }
      if (index >= starts.length) {
        int grown = Math.max(index + 1, starts.length * 2);
        starts = Arrays.copyOf(starts, grown);
        sizes = Arrays.copyOf(sizes, grown);
      }
      starts[index] = dataStart;
      sizes[index] = objectSize;
      next = dataStart + (int) ((objectSize + 7) & ~7L);
    }
  }
}
