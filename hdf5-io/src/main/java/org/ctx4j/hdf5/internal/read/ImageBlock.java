package org.ctx4j.hdf5.internal.read;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One image's objects as ctx4j's writer lays them out: a contiguous run of bytes (the image's
 * global heap collection, its datasets' data and headers, its group headers) that refers to
 * nothing outside itself, with the positions of every file address inside it. Moved to another
 * 8-byte aligned position of another file and its addresses shifted by the same distance, it is
 * byte for byte what the writer would have written there: a merge copies it instead of decoding
 * and re-encoding the image.
 *
 * <p>{@link #of} accepts only the structures ctx4j writes (version 1 object headers without
 * continuations, compact groups of hard links, contiguous datasets of numbers or variable-length
 * strings whose heap is inside the run) and answers null for anything else, e.g. a file written by
 * h5py, so that the caller falls back to reading and writing the image.
 *
 * <p>The bytes are a view of a buffer each thread reuses (a merge copies hundreds of thousands of
 * images; fresh memory per image costs more than the copy): valid until the thread's next {@link
 * #of}.
 *
 * @param start the file offset of the run's first byte (8-byte aligned)
 * @param bytes the run, little-endian, from position 0 to its limit
 * @param addressFields offsets into {@code bytes} of the 8-byte little-endian addresses to shift
 * @param header the address of the image's top object header (inside the run)
 */
public record ImageBlock(long start, ByteBuffer bytes, int[] addressFields, long header) {
  /** Runs larger than this are not copied whole (a guard against corrupt sizes). */
  private static final long MAX_BYTES = 1L << 28;

  /**
   * Bytes read at least before an image's top header; after the thread's first image, a quarter
   * more than that image's run (a vis_ctx image of fdim 512 is ~2.2 KB, a txt_ctx image of k 16,
   * d 512 ~500 KB: a window that misses costs one more read).
   */
  private static final long FIRST_WINDOW = 4 * 1024;
  private static final int MAX_HEADERS = 4096;
  private static final int NIL = 0x0000;
  private static final int FILL_VALUE = 0x0005;
  private static final int GROUP_INFO = 0x000A;

  /** The run of the object whose header is at {@code header} (an image's group or dataset). */
  static ImageBlock of(HdfStructure file, long header) {
    FileBytes bytes = file.bytes();
    if (!file.plainAddresses() || header < 0 || header % 8 != 0) {
      return null;
    }
    ByteBuffer prefix = bytes.readUpTo(header, 16, "object header");
    if (prefix.remaining() < 16) {
      return null;
    }
    // The writer puts an image's top header last: the run ends with it and lies before it. Read
    // a window ending there, larger when the walk meets an address below it.
    long end = header + 16 + Integer.toUnsignedLong(prefix.getInt(8));
    Scratch scratch = SCRATCH.get();
    long span = Math.max(FIRST_WINDOW, scratch.lastRun + scratch.lastRun / 4);
    while (end <= bytes.size()) {
      long from = Math.max(0, end - span);
      ByteBuffer window = scratch.buffer((int) (end - from));
      bytes.readInto(window, from, "image objects");
      Walk walk = new Walk(window.flip(), from, end);
      try {
        ImageBlock block = walk.object(header, 0) ? walk.block(header) : null;
        if (block != null) {
          scratch.lastRun = block.bytes().remaining();
        }
        return block;
      } catch (BelowWindow e) {
        span = Math.max(2 * span, end - e.address);
        if (from == 0 || span > MAX_BYTES) {
          return null;
        }
      }
    }
    return null;
  }

  /** Scratch buffers above this size are not kept for the next image. */
  private static final int KEPT_SCRATCH = 16 << 20;

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  /**
   * A thread's reused read buffer, and the size of the last run it held: the next image of a file
   * is usually as large, so its first window is sized from it.
   */
  private static final class Scratch {
    private ByteBuffer kept;
    long lastRun;

    /** The buffer, cleared and limited to {@code size} bytes. */
    ByteBuffer buffer(int size) {
      ByteBuffer b = kept;
      if (b == null || b.capacity() < size) {
        b = ByteBuffer.allocateDirect(Math.max(size, b == null ? 0 : 2 * b.capacity()));
        if (b.capacity() <= KEPT_SCRATCH) {
          kept = b;
        }
      }
      return b.clear().limit(size);
    }
  }

  /** The walk needs bytes below the window it was given. */
  private static final class BelowWindow extends RuntimeException {
    final long address;

    BelowWindow(long address) {
      super(null, null, false, false);
      this.address = address;
    }
  }

  /** Collects the byte ranges and address fields of an object tree; false on any surprise. */
  private static final class Walk {
    private final ByteBuffer window;
    private final long from;
    private final long end;
    private final List<long[]> ranges = new ArrayList<>();
    /** Absolute positions of address fields. */
    private long[] fields = new long[64];
    private int fieldCount;
    private long[] heaps = new long[4];
    private int heapCount;
    private int headers;

    Walk(ByteBuffer window, long from, long end) {
      this.window = window;
      this.from = from;
      this.end = end;
    }

    /**
     * {@code length} bytes at {@code address} (little-endian, positioned at 0), or null if they
     * reach past the run's end (then they are not this image's).
     *
     * @throws BelowWindow if they start below the window
     */
    private ByteBuffer at(long address, long length) {
      if (address < 0 || length < 0 || address > end - length) {
        return null;
      }
      if (address < from) {
        throw new BelowWindow(address);
      }
      return window.slice((int) (address - from), (int) length).order(ByteOrder.LITTLE_ENDIAN);
    }

    boolean object(long address, int depth) {
      if (depth > 3 || ++headers > MAX_HEADERS || address < 0 || address % 8 != 0) {
        return false;
      }
      ByteBuffer prefix = at(address, 16);
      if (prefix == null || prefix.get(0) != 1 || prefix.get(1) != 0) {
        return false;
      }
      int count = Short.toUnsignedInt(prefix.getShort(2));
      long size = Integer.toUnsignedLong(prefix.getInt(8));
      ByteBuffer b = at(address + 16, size);
      if (b == null) {
        return false;
      }
      ranges.add(new long[] {address, address + 16 + size});
      long dataAddress = -1;
      long dataSize = 0;
      boolean strings = false;
      boolean numbers = false;
      for (int m = 0; m < count; m++) {
        if (b.remaining() < 8) {
          return false;
        }
        int type = Short.toUnsignedInt(b.getShort());
        int length = Short.toUnsignedInt(b.getShort());
        b.position(b.position() + 4);
        if (length > b.remaining() || length % 8 != 0) {
          return false;
        }
        int body = b.position();
        long bodyAt = address + 16 + body;
        switch (type) {
          case NIL, ObjectHeader.DATASPACE, FILL_VALUE, GROUP_INFO -> {}
          case ObjectHeader.DATATYPE -> {
            int kind = b.get(body) & 0x0f;
            strings = kind == 9;
            numbers = kind == 0 || kind == 1;
            if (!strings && !numbers) {
              return false;
            }
          }
          case ObjectHeader.LAYOUT -> {
            if (length < 18 || b.get(body) != 3 || b.get(body + 1) != 1) {
              return false; // only version 3 contiguous layouts
            }
            dataAddress = b.getLong(body + 2);
            dataSize = b.getLong(body + 10);
            addField(bodyAt + 2);
          }
          case ObjectHeader.LINK_INFO -> {
            // version 0, no creation order, no fractal heap or name index: a compact group
            if (length < 18
                || b.get(body) != 0
                || b.get(body + 1) != 0
                || b.getLong(body + 2) != Fields.UNDEFINED
                || b.getLong(body + 10) != Fields.UNDEFINED) {
              return false;
            }
          }
          case ObjectHeader.LINK -> {
            int flags = Byte.toUnsignedInt(b.get(body + 1));
            if (b.get(body) != 1 || (flags & ~0x03) != 0) {
              return false; // version 1 hard links without creation order or charset fields
            }
            int lengthBytes = 1 << (flags & 0x03);
            if (lengthBytes > 2) {
              return false;
            }
            ByteBuffer at = b.duplicate().order(ByteOrder.LITTLE_ENDIAN).position(body + 2);
            long nameLength = Fields.unsigned(at, lengthBytes);
            int field = body + 2 + lengthBytes + (int) nameLength;
            if (field + 8 > body + length) {
              return false;
            }
            addField(address + 16 + field);
            if (!object(b.getLong(field), depth + 1)) {
              return false;
            }
          }
          default -> {
            return false; // attributes, symbol tables, continuations...: not ctx4j's image objects
          }
        }
        b.position(body + length);
      }
      if (dataAddress == -1) {
        return !strings && !numbers; // a group
      }
      if (dataAddress == Fields.UNDEFINED || dataAddress % 8 != 0) {
        return false;
      }
      if (at(dataAddress, dataSize) == null) {
        return false;
      }
      ranges.add(new long[] {dataAddress, dataAddress + dataSize});
      return !strings || references(dataAddress, dataSize);
    }

    /** A string dataset's 16-byte references: length, heap collection address, object index. */
    private boolean references(long address, long size) {
      ByteBuffer refs = at(address, size);
      if (refs == null || size % 16 != 0) {
        return false;
      }
      for (int at = 0; at < size; at += 16) {
        long heap = refs.getLong(at + 4);
        addField(address + at + 4);
        if (!heap(heap)) {
          return false;
        }
      }
      return true;
    }

    private boolean heap(long address) {
      for (int i = 0; i < heapCount; i++) {
        if (heaps[i] == address) {
          return true;
        }
      }
      if (address < 0 || address % 8 != 0) {
        return false;
      }
      ByteBuffer h = at(address, 16);
      if (h == null || !Fields.signature(h.duplicate(), "GCOL") || h.get(4) != 1) {
        return false;
      }
      long size = h.getLong(8);
      if (size < 16 || at(address, size) == null) {
        return false;
      }
      if (heapCount == heaps.length) {
        heaps = Arrays.copyOf(heaps, heapCount * 2);
      }
      heaps[heapCount++] = address;
      ranges.add(new long[] {address, address + size});
      return true;
    }

    private void addField(long position) {
      if (fieldCount == fields.length) {
        fields = Arrays.copyOf(fields, fieldCount * 2);
      }
      fields[fieldCount++] = position;
    }

    /**
     * The run, if the ranges tile it (gaps only of the writer's 8-byte alignment, no overlaps) and
     * every address field points into it; else null.
     */
    ImageBlock block(long header) {
      ranges.sort((x, y) -> Long.compare(x[0], y[0]));
      long start = ranges.get(0)[0];
      long end = start;
      for (long[] r : ranges) {
        if (r[0] < end || r[0] - end >= 8) {
          return null;
        }
        end = r[1];
      }
      if (end != this.end) {
        return null; // the top header is not the last of the run
      }
      ByteBuffer run = at(start, end - start);
      int[] offsets = new int[fieldCount];
      for (int i = 0; i < fieldCount; i++) {
        offsets[i] = (int) (fields[i] - start);
        long target = run.getLong(offsets[i]);
        if (target < start || target >= end) {
          return null;
        }
      }
      return new ImageBlock(start, run, offsets, header);
    }
  }
}
