package org.ctx4j.hdf5.internal.write;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A version-1 object header being assembled: a 16-byte prefix followed by one chunk holding the
 * messages back to back (each with its 8-byte message header). Written in one piece; nothing
 * points into it until it is on disk.
 */
final class ObjectHeader {
  private static final int FLAG_CONSTANT = 0x01;

  private final List<int[]> kinds = new ArrayList<>();
  private final List<byte[]> bodies = new ArrayList<>();
  private int chunkBytes;

  ObjectHeader add(int type, byte[] paddedBody) {
    return add(type, 0, paddedBody);
  }

  ObjectHeader addConstant(int type, byte[] paddedBody) {
    return add(type, FLAG_CONSTANT, paddedBody);
  }

  private ObjectHeader add(int type, int flags, byte[] paddedBody) {
    assert paddedBody.length % 8 == 0 && paddedBody.length < 65536;
    kinds.add(new int[] {type, flags});
    bodies.add(paddedBody);
    chunkBytes += 8 + paddedBody.length;
    return this;
  }

  /** Total bytes the header occupies on disk. */
  int size() {
    return 16 + chunkBytes;
  }

  /** Appends the header at the sink's (8-byte aligned) position and returns its address. */
  long writeTo(FileSink sink) throws IOException {
    sink.align(8);
    long address = sink.position();
    sink.putByte(1); // version
    sink.putByte(0);
    sink.putShort(bodies.size());
    sink.putInt(1); // object reference count
    sink.putInt(chunkBytes);
    sink.putInt(0); // alignment of the first chunk to 8 bytes
    for (int i = 0; i < bodies.size(); i++) {
      sink.putShort(kinds.get(i)[0]);
      sink.putShort(bodies.get(i).length);
      sink.putByte(kinds.get(i)[1]);
      sink.putByte(0);
      sink.putShort(0);
      sink.putBytes(bodies.get(i));
    }
    return address;
  }
}
