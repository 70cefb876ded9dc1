package org.ctx4j.hdf5.internal.write;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;

/**
 * The root group's members, kept as primitive arrays (image id, object header address) plus an
 * open-addressing hash of ids: about 40 bytes per image, no object per image. At finalisation
 * {@link #writeSymbolTable} writes it as an old-style group: a local heap of names, symbol table
 * nodes filled to capacity, and a version-1 B-tree over them.
 *
 * <p>Names are decimal ids and are sorted the way libhdf5 compares them ({@code strcmp}), so
 * {@code "10"} sorts before {@code "9"}.
 */
final class RootIndex {
  /** Upper estimate of the root symbol table's bytes per image (entry, name, B-tree share). */
  static final int ESTIMATED_BYTES_PER_IMAGE = 64;

  /** Symbol table leaf node K: a node holds up to 2K = 128 entries (5,128 bytes). */
  static final int LEAF_K = 64;
  /**
   * Group B-tree node K: a node holds up to 2K = 1024 children, so one B-tree node over 128-entry
   * symbol nodes indexes 131,072 names: all of COCO (123,287) is two hops from the root.
   */
  static final int INTERNAL_K = 512;

  private static final int ENTRY_BYTES = 40;
  private static final long EMPTY = Long.MIN_VALUE;

  private long[] ids = new long[1024];
  private long[] addresses = new long[1024];
  private int size;
  private long[] slots = newSlots(4096);

  private static long[] newSlots(int capacity) {
    long[] s = new long[capacity];
    Arrays.fill(s, EMPTY);
    return s;
  }

  int size() {
    return size;
  }

  long id(int i) {
    return ids[i];
  }

  long address(int i) {
    return addresses[i];
  }

  boolean contains(long id) {
    int mask = slots.length - 1;
    for (int i = mix(id) & mask; ; i = (i + 1) & mask) {
      long s = slots[i];
      if (s == EMPTY) {
        return false;
      }
      if (s == id) {
        return true;
      }
    }
  }

  /** Adds an id; returns false (and changes nothing) if it is already present. */
  boolean add(long id, long address) {
    if (contains(id)) {
      return false;
    }
    if (size == ids.length) {
      ids = Arrays.copyOf(ids, size * 2);
      addresses = Arrays.copyOf(addresses, size * 2);
    }
    ids[size] = id;
    addresses[size] = address;
    size++;
    if (size * 2 > slots.length) {
      long[] old = slots;
      slots = newSlots(old.length * 2);
      for (long s : old) {
        if (s != EMPTY) {
          insertSlot(s);
        }
      }
    } else {
      insertSlot(id);
    }
    return true;
  }

  private void insertSlot(long id) {
    int mask = slots.length - 1;
    int i = mix(id) & mask;
    while (slots[i] != EMPTY && slots[i] != id) {
      i = (i + 1) & mask;
    }
    slots[i] = id;
  }

  private static int mix(long id) {
    long h = id * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }

  /** Where the root group's index structures were written. */
  record Location(long btreeAddress, long localHeapAddress) {}

  /** Appends local heap, symbol table nodes and B-tree; returns their addresses. */
  Location writeSymbolTable(FileSink sink) throws IOException {
    String[] names = new String[size];
    for (int i = 0; i < size; i++) {
      names[i] = Long.toString(ids[i]);
    }
    return writeSymbolTable(sink, names, Arrays.copyOf(addresses, size));
  }

  /**
   * Appends an old-style group's index over {@code names[i] -> addresses[i]} (ASCII names, no
   * duplicates): local heap, symbol table nodes, B-tree.
   */
  static Location writeSymbolTable(FileSink sink, String[] names, long[] addresses)
      throws IOException {
    int size = names.length;
    Integer[] order = new Integer[size];
    for (int i = 0; i < size; i++) {
      order[i] = i;
    }
    // ASCII names: String order equals libhdf5's strcmp order.
    Arrays.sort(order, Comparator.comparing(i -> names[i]));

    // Local heap: "" at offset 0 (the B-tree's leftmost key), then every name.
    long[] nameOffsets = new long[size];
    long dataBytes = 8;
    for (int r = 0; r < size; r++) {
      nameOffsets[r] = dataBytes;
      dataBytes += HeaderMessages.padded(names[order[r]].length() + 1);
    }
    sink.align(8);
    long heapAddress = sink.position();
    sink.putAscii("HEAP");
    sink.putByte(0);
    sink.putZeros(3);
    sink.putLong(dataBytes);
    sink.putLong(1); // libhdf5's "no free block" marker (H5HL_FREE_NULL)
    sink.putLong(heapAddress + 32);
    sink.putZeros(8);
    for (int r = 0; r < size; r++) {
      byte[] n = names[order[r]].getBytes(StandardCharsets.US_ASCII);
      sink.putBytes(n);
      sink.putZeros(HeaderMessages.padded(n.length + 1) - n.length);
    }

    // Symbol table nodes, each full except the last.
    int perNode = 2 * LEAF_K;
    int nodeCount = Math.max(1, (size + perNode - 1) / perNode);
    long[] childAddresses = new long[nodeCount];
    long[] childMaxKeys = new long[nodeCount];
    for (int node = 0; node < nodeCount; node++) {
      int from = node * perNode;
      int to = Math.min(size, from + perNode);
      childAddresses[node] = sink.position();
      childMaxKeys[node] = to > from ? nameOffsets[to - 1] : 0;
      sink.putAscii("SNOD");
      sink.putByte(1);
      sink.putByte(0);
      sink.putShort(to - from);
      for (int r = from; r < to; r++) {
        sink.putLong(nameOffsets[r]);
        sink.putLong(addresses[order[r]]);
        sink.putInt(0); // no cached scratch-pad data
        sink.putInt(0);
        sink.putZeros(16);
      }
      sink.putZeros((long) (perNode - (to - from)) * ENTRY_BYTES);
    }
    if (size == 0) {
      nodeCount = 0; // an empty group's B-tree has no children
    }

    // B-tree levels, bottom-up, until one node remains.
    int level = 0;
    long[] children = Arrays.copyOf(childAddresses, nodeCount);
    long[] maxKeys = Arrays.copyOf(childMaxKeys, nodeCount);
    while (true) {
      int fanout = 2 * INTERNAL_K;
      int parents = Math.max(1, (children.length + fanout - 1) / fanout);
      long[] parentAddresses = new long[parents];
      long[] parentMaxKeys = new long[parents];
      long nodeBytes = 24 + (2L * INTERNAL_K + 1) * 8 + 2L * INTERNAL_K * 8;
      long first = sink.position();
      for (int p = 0; p < parents; p++) {
        parentAddresses[p] = first + p * nodeBytes;
      }
      for (int p = 0; p < parents; p++) {
        int from = p * fanout;
        int to = Math.min(children.length, from + fanout);
        sink.putAscii("TREE");
        sink.putByte(0); // group node
        sink.putByte(level);
        sink.putShort(to - from);
        sink.putLong(p > 0 ? parentAddresses[p - 1] : HeaderMessages.UNDEFINED_ADDRESS);
        sink.putLong(p + 1 < parents ? parentAddresses[p + 1] : HeaderMessages.UNDEFINED_ADDRESS);
        sink.putLong(0); // key 0: "", below every name
        for (int c = from; c < to; c++) {
          sink.putLong(children[c]);
          sink.putLong(maxKeys[c]);
        }
        sink.putZeros(nodeBytes - 24 - 8 - 16L * (to - from));
        parentMaxKeys[p] = to > from ? maxKeys[to - 1] : 0;
      }
      if (parents == 1) {
        return new Location(parentAddresses[0], heapAddress);
      }
      children = parentAddresses;
      maxKeys = parentMaxKeys;
      level++;
    }
  }
}
