package org.ctx4j.hdf5.internal.read;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.ObjLongConsumer;

/**
 * An old-style HDF5 group: a version 1 B-tree of symbol table nodes whose names live in a local
 * heap. This is how h5py (and the original Xmodal-Ctx files) store every group, including the root
 * with one entry per image.
 *
 * <p>{@link #find} descends the B-tree comparing names like the C library does (unsigned bytes);
 * with {@code cacheNodes} the parsed B-tree nodes (about one per 100 entries) are kept, so a lookup
 * in a 123,287-entry root costs one symbol-node read plus a few name reads. Thread-safe.
 */
final class SymbolTable implements GroupMembers {
  /** Local heaps up to this size are read whole at once (small groups: crop names). */
  private static final int SMALL_HEAP = 4096;
  private static final int MAX_DEPTH = 64;
  /**
   * First read of a B-tree or symbol node: h5py's nodes (K = 16 / 4) fit whole, so a node costs
   * one read; bigger nodes (our writer's) take a second.
   */
  private static final int SPECULATIVE_READ = 1024;

  /** A parsed B-tree node; key names are read from the local heap on first use only. */
  private record Node(int level, long[] keyOffsets, AtomicReferenceArray<byte[]> keyNames, long[] children) {}

  private final HdfStructure file;
  private final String path;
  private final long btreeAddress;
  private final long heapDataAddress;
  private final long heapDataSize;
  private final ByteBuffer smallHeap;
  private final ConcurrentHashMap<Long, Node> nodeCache;
  /** Members of a small group (crop names, dataset names), read once at the first lookup. */
  private volatile Map<String, Long> smallMembers;

  private SymbolTable(
      HdfStructure file, String path, long btree, long heapData, long heapSize, boolean cacheNodes) {
    this.file = file;
    this.path = path;
    this.btreeAddress = btree;
    this.heapDataAddress = heapData;
    this.heapDataSize = heapSize;
    this.smallHeap =
        heapSize <= SMALL_HEAP ? file.bytes().read(file.absolute(heapData), heapSize, "local heap of " + path) : null;
    this.nodeCache = cacheNodes ? new ConcurrentHashMap<>() : null;
  }

  /** The symbol table of the group with this header, or throws Unsupported for new-style groups. */
  static SymbolTable of(HdfStructure file, ObjectHeader header, String path, boolean cacheNodes) {
    ObjectHeader.Message m = header.find(ObjectHeader.SYMBOL_TABLE);
    if (m == null) {
      throw new NotAGroupException(path);
    }
    ByteBuffer body = m.body().duplicate().order(m.body().order());
    long btree = Fields.offset(body, file.offsetSize());
    long heap = Fields.offset(body, file.offsetSize());
    ByteBuffer h = file.bytes().read(file.absolute(heap), 8 + 2L * file.lengthSize() + file.offsetSize(), "local heap of " + path);
    if (!Fields.signature(h, "HEAP")) {
      throw file.corrupt(path, "local heap at " + heap + " has no HEAP signature");
    }
    h.position(8);
    long dataSize = Fields.unsigned(h, file.lengthSize());
    Fields.unsigned(h, file.lengthSize()); // free list head
    long dataAddress = Fields.offset(h, file.offsetSize());
    if (dataSize < 0 || dataSize > file.bytes().size()) {
      throw file.corrupt(path, "local heap claims " + dataSize + " bytes");
    }
    return new SymbolTable(file, path, btree, dataAddress, dataSize, cacheNodes);
  }

  /** Thrown by {@link #of} when the object is a dataset (no symbol table). */
  static final class NotAGroupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotAGroupException(String path) {
      super(path, null, false, false);
    }
  }

  /** The object header address of the member {@code name}, or -1 if there is none. */
  @Override
  public long find(String name) {
    if (smallHeap != null) {
      Map<String, Long> members = smallMembers;
      if (members == null) {
        Map<String, Long> all = new HashMap<>();
        forEach(all::put);
        smallMembers = members = all;
      }
      return members.getOrDefault(name, -1L);
    }
    byte[] wanted = name.getBytes(StandardCharsets.UTF_8);
    long at = btreeAddress;
    for (int depth = 0; depth < MAX_DEPTH; depth++) {
      Node node = node(at);
      int n = node.children.length;
      if (n == 0 || compare(wanted, key(node, n)) > 0) {
        return -1;
      }
      // child i holds names in (keys[i], keys[i+1]]: the first i with wanted <= keys[i+1]
      int lo = 0;
      int hi = n - 1;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (compare(wanted, key(node, mid + 1)) <= 0) {
          hi = mid;
        } else {
          lo = mid + 1;
        }
      }
      if (node.level == 0) {
        return findInSymbolNode(node.children[lo], wanted);
      }
      at = node.children[lo];
    }
    throw file.corrupt(path, "group B-tree deeper than " + MAX_DEPTH + " levels");
  }

  /** The first member in name order, or null for an empty group: one path down the tree. */
  Map.Entry<String, Long> first() {
    long at = btreeAddress;
    for (int depth = 0; depth < MAX_DEPTH; depth++) {
      Node node = node(at);
      if (node.children.length == 0) {
        return null;
      }
      if (node.level == 0) {
        ByteBuffer snod = symbolNode(node.children[0]);
        if (snod.remaining() < entrySize()) {
          return null;
        }
        long nameOffset = Fields.unsigned(snod, file.offsetSize());
        long header = Fields.offset(snod, file.offsetSize());
        return Map.entry(new String(name(nameOffset), StandardCharsets.UTF_8), header);
      }
      at = node.children[0];
    }
    throw file.corrupt(path, "group B-tree deeper than " + MAX_DEPTH + " levels");
  }

  /** Calls {@code action} with every member name and object header address, in name order. */
  @Override
  public void forEach(ObjLongConsumer<String> action) {
    forEach(btreeAddress, action, 0);
  }

  private void forEach(long at, ObjLongConsumer<String> action, int depth) {
    if (depth > MAX_DEPTH) {
      throw file.corrupt(path, "group B-tree deeper than " + MAX_DEPTH + " levels");
    }
    Node node = readNode(at);
    for (long child : node.children) {
      if (node.level == 0) {
        ByteBuffer snod = symbolNode(child);
        int count = snod.remaining() / entrySize();
        for (int i = 0; i < count; i++) {
          snod.position(i * entrySize());
          long nameOffset = Fields.unsigned(snod, file.offsetSize());
          long header = Fields.offset(snod, file.offsetSize());
          action.accept(new String(name(nameOffset), StandardCharsets.UTF_8), header);
        }
      } else {
        forEach(child, action, depth + 1);
      }
    }
  }

  private long findInSymbolNode(long address, byte[] wanted) {
    ByteBuffer snod = symbolNode(address);
    int lo = 0;
    int hi = snod.remaining() / entrySize() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      snod.position(mid * entrySize());
      long nameOffset = Fields.unsigned(snod, file.offsetSize());
      long header = Fields.offset(snod, file.offsetSize());
      int c = compare(wanted, name(nameOffset));
      if (c == 0) {
        return header;
      } else if (c < 0) {
        hi = mid - 1;
      } else {
        lo = mid + 1;
      }
    }
    return -1;
  }

  private int entrySize() {
    return 2 * file.offsetSize() + 24;
  }

  /** The entries of a symbol table node, as one buffer of {@code count * entrySize()} bytes. */
  private ByteBuffer symbolNode(long address) {
    ByteBuffer head = file.bytes().readUpTo(file.absolute(address), SPECULATIVE_READ, "symbol table node of " + path);
    if (!Fields.signature(head, "SNOD") || head.limit() < 8) {
      throw file.corrupt(path, "symbol table node at " + address + " has no SNOD signature");
    }
    int count = Short.toUnsignedInt(head.getShort(6));
    return rest(head, 8, (long) count * entrySize(), address, "symbol table node of " + path);
  }

  /**
   * {@code length} bytes from {@code from} of a structure whose first bytes were read speculatively
   * into {@code head}: a slice of it when they are there already, else one more read.
   */
  private ByteBuffer rest(ByteBuffer head, int from, long length, long address, String what) {
    if (from + length <= head.limit()) {
      return head.position(from).limit((int) (from + length)).slice().order(head.order());
    }
    return file.bytes().read(file.absolute(address) + from, length, what);
  }

  private Node node(long address) {
    if (nodeCache == null) {
      return readNode(address);
    }
    Node cached = nodeCache.get(address);
    if (cached == null) {
      cached = readNode(address);
      nodeCache.putIfAbsent(address, cached);
    }
    return cached;
  }

  private Node readNode(long address) {
    int o = file.offsetSize();
    int l = file.lengthSize();
    ByteBuffer head = file.bytes().readUpTo(file.absolute(address), SPECULATIVE_READ, "group B-tree node of " + path);
    if (head.limit() < 8 + 2 * o || !Fields.signature(head, "TREE")) {
      throw file.corrupt(path, "group B-tree node at " + address + " has no TREE signature");
    }
    int type = Byte.toUnsignedInt(head.get());
    int level = Byte.toUnsignedInt(head.get());
    int used = Short.toUnsignedInt(head.getShort());
    if (type != 0) {
      throw file.corrupt(path, "B-tree node at " + address + " has type " + type + ", expected a group node");
    }
    ByteBuffer b = rest(head, 8 + 2 * o, (long) used * (l + o) + l, address, "group B-tree node of " + path);
    long[] keys = new long[used + 1];
    long[] children = new long[used];
    for (int i = 0; i < used; i++) {
      keys[i] = Fields.unsigned(b, l);
      children[i] = Fields.offset(b, o);
    }
    keys[used] = Fields.unsigned(b, l);
    return new Node(level, keys, new AtomicReferenceArray<>(used + 1), children);
  }

  /** Key {@code i} of a node (the largest name in child i-1), read once and kept with the node. */
  private byte[] key(Node node, int i) {
    byte[] name = node.keyNames.get(i);
    if (name == null) {
      name = name(node.keyOffsets[i]);
      node.keyNames.set(i, name);
    }
    return name;
  }

  /** The NUL-terminated name at {@code offset} of the local heap's data segment. */
  private byte[] name(long offset) {
    if (offset < 0 || offset >= heapDataSize) {
      throw file.corrupt(path, "name offset " + offset + " outside local heap of " + heapDataSize + " bytes");
    }
    if (smallHeap != null) {
      int start = (int) offset;
      int end = start;
      while (end < smallHeap.limit() && smallHeap.get(end) != 0) {
        end++;
      }
      byte[] out = new byte[end - start];
      smallHeap.get(start, out);
      return out;
    }
    for (int want = 32; ; want *= 8) {
      int len = (int) Math.min(want, heapDataSize - offset);
      ByteBuffer b = file.bytes().read(file.absolute(heapDataAddress) + offset, len, "local heap of " + path);
      for (int i = 0; i < len; i++) {
        if (b.get(i) == 0) {
          byte[] out = new byte[i];
          b.get(0, out);
          return out;
        }
      }
      if (len < want) {
        throw file.corrupt(path, "unterminated name at local heap offset " + offset);
      }
    }
  }

  private static int compare(byte[] a, byte[] b) {
    return Arrays.compareUnsigned(a, b);
  }
}
