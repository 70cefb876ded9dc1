package org.ctx4j.hdf5.internal.read;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Resolves variable-length strings through global heap collections ({@code GCOL}). One instance
 * serves one request: each collection it touches is read once (one read of usually 4 KiB).
 * Not thread-safe; create one per request.
 */
final class GlobalHeap {
  private final HdfStructure file;
  private final String path;
  private final Map<Long, Map<Integer, ByteBuffer>> collections = new HashMap<>();

  GlobalHeap(HdfStructure file, String path) {
    this.file = file;
    this.path = path;
  }

  /** The string stored as object {@code index} of the collection at {@code address}. */
  String string(long address, int index, long length) {
    if (length == 0) {
      return "";
    }
    ByteBuffer object = collection(address).get(index);
    if (object == null) {
      throw file.corrupt(path, "global heap collection at " + address + " has no object " + index);
    }
    int end = (int) Math.min(object.remaining(), length);
    while (end > 0 && object.get(end - 1) == 0) {
      end--;
    }
    byte[] raw = new byte[end];
    object.get(0, raw);
    return new String(raw, StandardCharsets.UTF_8);
  }

  private Map<Integer, ByteBuffer> collection(long address) {
    Map<Integer, ByteBuffer> objects = collections.get(address);
    if (objects != null) {
      return objects;
    }
    int l = file.lengthSize();
    ByteBuffer head = file.bytes().read(file.absolute(address), 8 + l, "global heap of " + path);
    if (!Fields.signature(head, "GCOL")) {
      throw file.corrupt(path, "global heap collection at " + address + " has no GCOL signature");
    }
    head.position(8);
    long size = Fields.unsigned(head, l);
    ByteBuffer b = file.bytes().read(file.absolute(address), size, "global heap of " + path);
    objects = new HashMap<>();
    int at = 8 + l;
    while (at + 8 + l <= b.limit()) {
      b.position(at);
      int index = Short.toUnsignedInt(b.getShort());
      b.position(at + 8);
      long objectSize = Fields.unsigned(b, l);
      int dataStart = at + 8 + l;
      if (index == 0) {
        break; // free space: the rest of the collection
      }
      if (objectSize < 0 || objectSize > b.limit() - dataStart) {
        throw file.corrupt(path, "global heap object " + index + " at " + address + " overruns its collection");
      }
      objects.put(index, b.slice(dataStart, (int) objectSize).order(b.order()));
      at = dataStart + (int) ((objectSize + 7) & ~7L);
    }
    collections.put(address, objects);
    return objects;
  }
}
