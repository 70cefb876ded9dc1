package org.ctx4j.hdf5.internal.write;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ctx4j.Hdf5WriteException;
import org.ctx4j.IncompatibleContextFileException;
import org.ctx4j.hdf5.internal.write.HeaderMessages.ElementType;

/**
 * Writes {@code caption_db.hdf5}: root datasets {@code keys} float32 (N, keyDim), {@code features}
 * float32 (N, featureDim) and {@code captions} (N,) variable-length UTF-8 strings, all contiguous
 * and uncompressed. The size is known up front, so the three data blocks are reserved at the
 * start of the file ({@code keys} 4096-aligned, ready to be memory-mapped) and filled batch by
 * batch; caption strings stream into global heap collections after them. Headers, root group and
 * superblock are written by {@link #close}, which renames {@code <file>.partial} into place.
 *
 * <p>Or, with {@link #createOriginalLayout}, the original Xmodal-Ctx layout that its {@code
 * retrieve_captions.py} reads: root groups {@code "0"}, {@code "1"}, ... of {@value
 * #ORIGINAL_BATCH} rows each (the last one shorter), each with {@code keys}, {@code features} and
 * {@code captions}. The rows of a group are buffered and written when it is full, so the bytes do
 * not depend on how the caller batched the appends either. (The original gzip-compressed the
 * datasets; h5py reads uncompressed ones the same way.)
 *
 * <p>No resume: encoding captions takes minutes, so an interrupted run starts over ({@code
 * create} discards a leftover partial file).
 */
public final class CaptionDbFileWriter implements AutoCloseable {
  public static final String FORMAT = "caption_db/1";
  private static final int KEYS_ALIGNMENT = 4096;
  /** Strings per global heap collection: well under the 65,535 limit, ~20-50 KB each. */
  private static final int STRINGS_PER_COLLECTION = 1024;
  /** Rows per group of the original layout: {@code encode_captions.py}'s default batch size. */
  public static final int ORIGINAL_BATCH = 512;
  /** Root attribute naming the layout of a caption db in the original's layout. */
  public static final String ORIGINAL_LAYOUT_ATTRIBUTE = "layout";

  private final Path file;
  private final Path partial;
  private final int size;
  private final int keyDim;
  private final int featureDim;
  private final TreeMap<String, String> provenance;
  private final FileChannel channel;
  private final FileSink sink;
  private final long keysAddress;
  private final long featuresAddress;
  private final long captionsAddress;
  private int rows;
  /** Rows whose captions are in global heap collections already; the rest are pending. */
  private int collectedRows;
  private final List<String> pendingCaptions = new ArrayList<>();
  private boolean closed;
  /** Original layout only: the rows of the group being filled, and the groups written. */
  private final boolean originalLayout;
  private float[] groupKeys;
  private float[] groupFeatures;
  private final List<Long> groupAddresses = new ArrayList<>();

  private CaptionDbFileWriter(
      Path file,
      int size,
      int keyDim,
      int featureDim,
      TreeMap<String, String> provenance,
      boolean originalLayout)
      throws IOException {
    this.originalLayout = originalLayout;
    this.file = file;
    this.partial = AppendableHdf5File.partialOf(file);
    this.size = size;
    this.keyDim = keyDim;
    this.featureDim = featureDim;
    this.provenance = provenance;
    Files.deleteIfExists(partial);
    this.channel =
        FileChannel.open(
            partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.READ);
    channel.write(Superblock.blank(), 0);
    if (originalLayout) {
      keysAddress = featuresAddress = captionsAddress = -1;
      groupKeys = new float[ORIGINAL_BATCH * keyDim];
      groupFeatures = new float[ORIGINAL_BATCH * featureDim];
      this.sink = new FileSink(channel, Superblock.SIZE);
      return;
    }
    keysAddress = KEYS_ALIGNMENT;
    featuresAddress = keysAddress + 4L * size * keyDim;
    captionsAddress = featuresAddress + 4L * size * featureDim;
    long dataEnd = captionsAddress + 16L * size;
    this.sink = new FileSink(channel, dataEnd);
  }

  public static CaptionDbFileWriter create(
      Path file, int size, int keyDim, int featureDim, Map<String, String> provenance) {
    return create(file, size, keyDim, featureDim, provenance, false);
  }

  /** As {@link #create}, in the original Xmodal-Ctx layout (one group per 512 rows). */
  public static CaptionDbFileWriter createOriginalLayout(
      Path file, int size, int keyDim, int featureDim, Map<String, String> provenance) {
    return create(file, size, keyDim, featureDim, provenance, true);
  }

  private static CaptionDbFileWriter create(
      Path file,
      int size,
      int keyDim,
      int featureDim,
      Map<String, String> provenance,
      boolean originalLayout) {
    checkNotNull(file, "file");
    checkArgument(size >= 0, "caption count (%s) must be >= 0", size);
    checkArgument(keyDim >= 1, "key dim (%s) must be >= 1", keyDim);
    checkArgument(featureDim >= 1, "feature dim (%s) must be >= 1", featureDim);
    TreeMap<String, String> prov = Provenance.checked(provenance);
    checkArgument(
        !prov.containsKey("size")
            && !prov.containsKey("key_dim")
            && !prov.containsKey("feature_dim")
            && !prov.containsKey(ORIGINAL_LAYOUT_ATTRIBUTE),
        "provenance keys size, key_dim, feature_dim, layout are set by the writer: %s",
        prov.keySet());
    if (Files.exists(file)) {
      throw new IncompatibleContextFileException(
          file, file + " already exists; delete it to rebuild the caption db");
    }
    try {
      return new CaptionDbFileWriter(file, size, keyDim, featureDim, prov, originalLayout);
    } catch (IOException e) {
      throw new Hdf5WriteException(file, "cannot create " + file + ".partial: " + e, e);
    }
  }

  /** Rows appended so far. */
  public synchronized int appended() {
    return rows;
  }

  public synchronized void append(List<String> captions, float[] keys, float[] features) {
    if (closed) {
      throw new IllegalStateException("caption db writer of " + file + " is closed");
    }
    checkNotNull(captions, "captions");
    checkNotNull(keys, "keys");
    checkNotNull(features, "features");
    int n = captions.size();
    checkArgument(
        rows + n <= size,
        "appending %s captions after %s would exceed the declared size %s of %s",
        n,
        rows,
        size,
        file);
    checkArgument(
        keys.length == (long) n * keyDim,
        "keys has length %s, expected %s captions x key dim %s (rows %s..)",
        keys.length,
        n,
        keyDim,
        rows);
    checkArgument(
        features.length == (long) n * featureDim,
        "features has length %s, expected %s captions x feature dim %s (rows %s..)",
        features.length,
        n,
        featureDim,
        rows);
    for (int i = 0; i < n; i++) {
      checkArgument(captions.get(i) != null, "caption %s (row %s) is null", i, rows + i);
    }
    try {
      if (originalLayout) {
        appendToGroups(captions, keys, features);
        return;
      }
      writeFloats(keysAddress + 4L * rows * keyDim, keys);
      writeFloats(featuresAddress + 4L * rows * featureDim, features);
      pendingCaptions.addAll(captions);
      rows += n;
      while (pendingCaptions.size() >= STRINGS_PER_COLLECTION) {
        writeCollection(STRINGS_PER_COLLECTION);
      }
    } catch (IOException e) {
      discard();
      throw new Hdf5WriteException(file, "writing captions " + rows + ".. to " + partial + " failed", e);
    }
  }

  private void appendToGroups(List<String> captions, float[] keys, float[] features)
      throws IOException {
    for (int i = 0; i < captions.size(); i++) {
      int slot = pendingCaptions.size();
      System.arraycopy(keys, i * keyDim, groupKeys, slot * keyDim, keyDim);
      System.arraycopy(features, i * featureDim, groupFeatures, slot * featureDim, featureDim);
      pendingCaptions.add(captions.get(i));
      rows++;
      if (pendingCaptions.size() == ORIGINAL_BATCH) {
        writeGroup();
      }
    }
  }

  /** Writes the pending rows as the next group: its datasets, then the group's header. */
  private void writeGroup() throws IOException {
    int n = pendingCaptions.size();
    GlobalHeapCollection heap = new GlobalHeapCollection();
    pendingCaptions.forEach(heap::add);
    heap.writeTo(sink);
    long captions = ObjectWriter.stringDataset(sink, new long[] {n}, heap, 1);
    long features = ObjectWriter.floatDataset(sink, new long[] {n, featureDim}, groupFeatures, 0);
    long keys = ObjectWriter.floatDataset(sink, new long[] {n, keyDim}, groupKeys, 0);
    groupAddresses.add(
        ObjectWriter.compactGroup(
            sink,
            new String[] {"captions", "features", "keys"},
            new long[] {captions, features, keys}));
    pendingCaptions.clear();
  }

  /**
   * Writes the first {@code count} pending captions as one global heap collection and their
   * references. Collections always hold rows {@code [j * 1024, (j + 1) * 1024)}, whatever the
   * sizes of the appends, so the file's bytes do not depend on how the caller batched them.
   */
  private void writeCollection(int count) throws IOException {
    GlobalHeapCollection heap = new GlobalHeapCollection();
    for (int i = 0; i < count; i++) {
      heap.add(pendingCaptions.get(i));
    }
    heap.writeTo(sink);
    ByteBuffer refs = ByteBuffer.allocate(16 * count).order(ByteOrder.LITTLE_ENDIAN);
    for (int index = 1; index <= count; index++) {
      refs.putInt(heap.length(index)).putLong(heap.address()).putInt(index);
    }
    sink.writeAt(captionsAddress + 16L * collectedRows, refs.flip());
    collectedRows += count;
    pendingCaptions.subList(0, count).clear();
  }

  private void writeFloats(long address, float[] values) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    sink.writeAt(address, b);
  }

  private static long datasetHeader(
      FileSink sink, ElementType type, long[] dims, long address, long bytes) throws IOException {
    return new ObjectHeader()
        .add(HeaderMessages.DATASPACE, HeaderMessages.dataspace(dims))
        .addConstant(HeaderMessages.DATATYPE, HeaderMessages.datatype(type))
        .addConstant(HeaderMessages.FILL_VALUE, HeaderMessages.fillValue(type))
        .add(HeaderMessages.LAYOUT, HeaderMessages.contiguousLayout(address, bytes))
        .writeTo(sink);
  }

  /**
   * Finalises the file. If fewer rows than declared were appended, discards the partial file and
   * throws: a caption db with missing rows would silently shift every caption index.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    if (rows != size) {
      discard();
      throw new Hdf5WriteException(
          file, "only " + rows + " of " + size + " captions were appended; " + file + " not written");
    }
    try {
      RootIndex.Location root = originalLayout ? finishGroups() : finishMatrices();
      RootAttributes attributes = Provenance.attributes(FORMAT, provenance);
      if (originalLayout) {
        attributes.putString(ORIGINAL_LAYOUT_ATTRIBUTE, "original");
      }
      attributes.putLong("size", size).putLong("key_dim", keyDim).putLong("feature_dim", featureDim);
      ObjectHeader header = new ObjectHeader();
      header.add(
          HeaderMessages.SYMBOL_TABLE,
          HeaderMessages.symbolTable(root.btreeAddress(), root.localHeapAddress()));
      for (byte[] message : attributes.writeMessages(sink)) {
        header.add(HeaderMessages.ATTRIBUTE, message);
      }
      long rootAddress = header.writeTo(sink);
      sink.align(8);
      long eof = sink.position();
      sink.writeAt(0, Superblock.encode(eof, rootAddress, root));
      channel.force(true);
      channel.close();
      closed = true;
      try {
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(partial, file);
      }
    } catch (IOException e) {
      discard();
      throw new Hdf5WriteException(file, "finalising " + file + " failed", e);
    }
  }

  private RootIndex.Location finishMatrices() throws IOException {
    if (!pendingCaptions.isEmpty()) {
      writeCollection(pendingCaptions.size());
    }
    long keys =
        datasetHeader(
            sink, ElementType.FLOAT32, new long[] {size, keyDim}, keysAddress, 4L * size * keyDim);
    long features =
        datasetHeader(
            sink,
            ElementType.FLOAT32,
            new long[] {size, featureDim},
            featuresAddress,
            4L * size * featureDim);
    long captions =
        datasetHeader(sink, ElementType.VLEN_UTF8, new long[] {size}, captionsAddress, 16L * size);
    return RootIndex.writeSymbolTable(
        sink, new String[] {"captions", "features", "keys"}, new long[] {captions, features, keys});
  }

  private RootIndex.Location finishGroups() throws IOException {
    if (!pendingCaptions.isEmpty()) {
      writeGroup();
    }
    String[] names = new String[groupAddresses.size()];
    long[] addresses = new long[names.length];
    for (int g = 0; g < names.length; g++) {
      names[g] = Integer.toString(g);
      addresses[g] = groupAddresses.get(g);
    }
    return RootIndex.writeSymbolTable(sink, names, addresses);
  }

  private void discard() {
    closed = true;
    try {
      channel.close();
      Files.deleteIfExists(partial);
    } catch (IOException e) {
      // best effort: a leftover partial file is discarded by the next create
    }
  }
}
