package org.ctx4j.hdf5.internal.read;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The messages of a version 1 object header (what h5py and the HDF5 C library write by default),
 * following continuation blocks. A version 2 header ({@code OHDR}) throws {@link
 * UnsupportedStructureException}.
 */
final class ObjectHeader {
  static final int DATASPACE = 0x0001;
  static final int LINK_INFO = 0x0002;
  static final int DATATYPE = 0x0003;
  static final int LINK = 0x0006;
  static final int LAYOUT = 0x0008;
  static final int FILTER_PIPELINE = 0x000B;
  static final int CONTINUATION = 0x0010;
  static final int SYMBOL_TABLE = 0x0011;

  private static final int SHARED_FLAG = 0x02;
  /** h5py's small datasets and groups fit in one read of this size. */
  private static final int FIRST_READ = 512;
  private static final int MAX_MESSAGES = 4096;

  /** One header message: its type, flags and body (positioned at 0, little-endian). */
  record Message(int type, int flags, ByteBuffer body) {
    boolean shared() {
      return (flags & SHARED_FLAG) != 0;
    }
  }

  private final long address;
  private final List<Message> messages;

  private ObjectHeader(long address, List<Message> messages) {
    this.address = address;
    this.messages = messages;
  }

  long address() {
    return address;
  }

  /** All messages of {@code type}, in header order. */
  List<Message> all(int type) {
    List<Message> out = new ArrayList<>();
    for (Message m : messages) {
      if (m.type == type) {
        out.add(m);
      }
    }
    return out;
  }

  /** The first message of {@code type}, or null. */
  Message find(int type) {
    for (Message m : messages) {
      if (m.type == type) {
        return m;
      }
    }
    return null;
  }

  static ObjectHeader read(HdfStructure file, long address, String path) {
    ByteBuffer b = file.bytes().readUpTo(file.absolute(address), FIRST_READ, "object header of " + path);
    if (b.remaining() >= 4 && b.get(0) == 'O' && b.get(1) == 'H' && b.get(2) == 'D' && b.get(3) == 'R') {
      return readVersion2(file, address, b, path);
    }
    if (b.remaining() < 16) {
      throw file.corrupt(path, "object header at " + address + " is cut short");
    }
    int version = Byte.toUnsignedInt(b.get(0));
    if (version != 1) {
      throw file.corrupt(path, "object header at " + address + " has unknown version " + version);
    }
    int count = Short.toUnsignedInt(b.getShort(2));
    long headerSize = Integer.toUnsignedLong(b.getInt(8));
    if (count > MAX_MESSAGES) {
      throw file.corrupt(path, "object header at " + address + " claims " + count + " messages");
    }
    ByteBuffer block;
    if (16 + headerSize <= b.limit()) {
      block = b.position(16).limit((int) (16 + headerSize)).slice().order(b.order());
    } else {
      block = file.bytes().read(file.absolute(address) + 16, headerSize, "object header of " + path);
    }
    List<Message> messages = new ArrayList<>(Math.min(count, 16));
    Set<Long> visited = new HashSet<>();
    List<ByteBuffer> pending = new ArrayList<>();
    pending.add(block);
    while (!pending.isEmpty() && messages.size() < count) {
      ByteBuffer blk = pending.remove(pending.size() - 1);
      while (blk.remaining() >= 8 && messages.size() < count) {
        int type = Short.toUnsignedInt(blk.getShort());
        int size = Short.toUnsignedInt(blk.getShort());
        int flags = Byte.toUnsignedInt(blk.get());
        blk.position(blk.position() + 3);
        if (size > blk.remaining()) {
          throw file.corrupt(path, "object header message of " + size + " bytes overruns its block");
        }
        ByteBuffer body = blk.slice().limit(size).order(blk.order());
        blk.position(blk.position() + size);
        messages.add(new Message(type, flags, body));
        if (type == CONTINUATION) {
          long at = Fields.offset(body, file.offsetSize());
          long length = Fields.unsigned(body, file.lengthSize());
          body.rewind();
          if (!visited.add(at)) {
            throw file.corrupt(path, "object header continuation loops back to " + at);
          }
          pending.add(file.bytes().read(file.absolute(at), length, "object header continuation of " + path));
        }
      }
    }
    return new ObjectHeader(address, messages);
  }

  /**
   * A version 2 header ({@code OHDR}, what libhdf5 writes for groups that track creation order):
   * prefix, then chunks of messages with 1-byte types, each chunk ending in a checksum (not
   * verified: a corrupt message is caught by the bounds checks instead).
   */
  private static ObjectHeader readVersion2(HdfStructure file, long address, ByteBuffer b, String path) {
    if (b.remaining() < 7 || b.get(4) != 2) {
      throw file.corrupt(path, "object header at " + address + " has an unknown OHDR version");
    }
    int flags = Byte.toUnsignedInt(b.get(5));
    int at = 6 + ((flags & 0x20) != 0 ? 16 : 0) + ((flags & 0x10) != 0 ? 4 : 0);
    int sizeBytes = 1 << (flags & 0x03);
    if (b.remaining() < at + sizeBytes) {
      throw file.corrupt(path, "object header at " + address + " is cut short");
    }
    long chunkSize = Fields.unsigned(b.position(at), sizeBytes);
    int start = at + sizeBytes;
    ByteBuffer chunk;
    if (start + chunkSize <= b.limit()) {
      chunk = b.position(start).limit((int) (start + chunkSize)).slice().order(b.order());
    } else {
      chunk = file.bytes().read(file.absolute(address) + start, chunkSize, "object header of " + path);
    }
    boolean creationOrder = (flags & 0x04) != 0;
    List<Message> messages = new ArrayList<>();
    Set<Long> visited = new HashSet<>();
    List<ByteBuffer> pending = new ArrayList<>();
    pending.add(chunk);
    while (!pending.isEmpty()) {
      ByteBuffer blk = pending.remove(pending.size() - 1);
      int header = 4 + (creationOrder ? 2 : 0);
      while (blk.remaining() >= header && messages.size() < MAX_MESSAGES) {
        int type = Byte.toUnsignedInt(blk.get());
        int size = Short.toUnsignedInt(blk.getShort());
        int msgFlags = Byte.toUnsignedInt(blk.get());
        if (creationOrder) {
          blk.getShort();
        }
        if (size > blk.remaining()) {
          throw file.corrupt(path, "object header message of " + size + " bytes overruns its chunk");
        }
        ByteBuffer body = blk.slice().limit(size).order(blk.order());
        blk.position(blk.position() + size);
        messages.add(new Message(type, msgFlags, body));
        if (type == CONTINUATION) {
          long at2 = Fields.offset(body, file.offsetSize());
          long length = Fields.unsigned(body, file.lengthSize());
          body.rewind();
          if (!visited.add(at2) || length < 8) {
            throw file.corrupt(path, "bad object header continuation at " + at2);
          }
          ByteBuffer cont = file.bytes().read(file.absolute(at2), length, "object header continuation of " + path);
          if (!Fields.signature(cont, "OCHK")) {
            throw file.corrupt(path, "object header continuation at " + at2 + " has no OCHK signature");
          }
          pending.add(cont.limit(cont.limit() - 4).slice().order(cont.order()));
        }
      }
    }
    return new ObjectHeader(address, messages);
  }
}
