package org.ctx4j.hdf5;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.base.Suppliers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.ctx4j.Hdf5FormatException;
import org.ctx4j.hdf5.internal.read.ContextReader.Entry;
import org.ctx4j.hdf5.internal.read.ContextReader;
import org.ctx4j.hdf5.internal.read.FileKind;

/**
 * Reads a caption database: the captions with their retrieval keys (L2-normalised CLIP text
 * projections) and text features, row by row.
 *
 * <p>Two layouts: ours ({@code caption_db/1}: root datasets {@code captions} (N,), {@code keys}
 * (N, de) and {@code features} (N, df), contiguous and uncompressed, so {@link #keysLocation()}
 * can hand the keys matrix to a memory map), and the original Xmodal-Ctx layout (one group per
 * batch {@code "0"}, {@code "1"}, ... each with gzip-compressed {@code keys}, {@code features} and
 * {@code captions}), read through jhdf with the last few decoded batches cached. Thread-safe.
 */
public final class CaptionDbFile implements AutoCloseable {
  private static final int CACHED_BATCHES = 8;

  private final ContextReader reader;
  private final Map<String, String> attributes;
  /** Ours: null. Original: the batch groups in row order and the first row of each (+ N). */
  private final Entry[] batches;
  private final long[] batchStarts;
  private final Entry keys;
  private final Entry features;
  private final int size;
  private final int keyDim;
  private final int featureDim;
  private final Supplier<List<String>> captions;
  private final Map<Integer, float[][]> batchCache =
      Collections.synchronizedMap(
          new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, float[][]> eldest) {
              return size() > CACHED_BATCHES;
            }
          });

  private CaptionDbFile(ContextReader reader) {
    this.reader = reader;
    this.attributes = Map.copyOf(reader.rootAttributes());
    FileKind.expect(reader, attributes, FileKind.CAPTION_DB);
    Entry root = reader.root();
    Entry captionsEntry = reader.child(root, "captions");
    if (captionsEntry != null) {
      this.batches = null;
      this.batchStarts = null;
      this.keys = dataset(root, "keys");
      this.features = dataset(root, "features");
      long[] k = reader.dims(keys);
      long[] f = reader.dims(features);
      long[] c = reader.dims(captionsEntry);
      if (k.length != 2 || f.length != 2 || c.length != 1 || k[0] != c[0] || f[0] != c[0]) {
        throw new Hdf5FormatException(
            file(),
            "/",
            "caption db " + file() + " has inconsistent shapes: captions " + Arrays.toString(c)
                + ", keys " + Arrays.toString(k) + ", features " + Arrays.toString(f));
      }
      this.size = Math.toIntExact(c[0]);
      this.keyDim = Math.toIntExact(k[1]);
      this.featureDim = Math.toIntExact(f[1]);
      this.captions =
          Suppliers.memoize(() -> List.of(reader.strings(captionsEntry, 0, size)));
    } else {
      List<Entry> groups = new ArrayList<>();
      for (int i = 0; ; i++) {
        Entry g = reader.child(root, Integer.toString(i));
        if (g == null) {
          break;
        }
        groups.add(g);
      }
      if (groups.isEmpty()) {
        throw new Hdf5FormatException(
            file(), "/", file() + " is not a caption db: no root dataset 'captions' and no batch group '0'");
      }
      this.batches = groups.toArray(new Entry[0]);
      this.batchStarts = new long[batches.length + 1];
      int kd = -1;
      int fd = -1;
      for (int i = 0; i < batches.length; i++) {
        long[] k = reader.dims(dataset(batches[i], "keys"));
        long[] f = reader.dims(dataset(batches[i], "features"));
        long[] c = reader.dims(dataset(batches[i], "captions"));
        if (k.length != 2 || f.length != 2 || c.length != 1 || k[0] != c[0] || f[0] != c[0]
            || (kd >= 0 && (k[1] != kd || f[1] != fd))) {
          throw new Hdf5FormatException(
              file(),
              batches[i].path(),
              "caption db batch " + batches[i].path() + " of " + file() + " has shapes captions "
                  + Arrays.toString(c) + ", keys " + Arrays.toString(k) + ", features " + Arrays.toString(f));
        }
        kd = Math.toIntExact(k[1]);
        fd = Math.toIntExact(f[1]);
        batchStarts[i + 1] = batchStarts[i] + c[0];
      }
      this.keys = null;
      this.features = null;
      this.size = Math.toIntExact(batchStarts[batches.length]);
      this.keyDim = kd;
      this.featureDim = fd;
      this.captions = Suppliers.memoize(this::readBatchCaptions);
    }
  }

  /**
   * Opens a caption database in either layout.
   *
   * @throws Hdf5FormatException if the file is not HDF5, truncated, or not a caption db
   */
  public static CaptionDbFile open(Path file) {
    checkNotNull(file, "file");
    ContextReader reader = ContextReader.open(file);
    try {
      return new CaptionDbFile(reader);
    } catch (RuntimeException e) {
      reader.close();
      throw e;
    }
  }

  private Entry dataset(Entry group, String name) {
    Entry e = reader.child(group, name);
    if (e == null || reader.isGroup(e)) {
      throw new Hdf5FormatException(
          file(), group.path(), "caption db " + file() + " lacks dataset " + name + " in " + group.path());
    }
    return e;
  }

  private List<String> readBatchCaptions() {
    List<String> all = new ArrayList<>(size);
    for (int i = 0; i < batches.length; i++) {
      all.addAll(Arrays.asList(reader.strings(dataset(batches[i], "captions"), 0, batchSize(i))));
    }
    return Collections.unmodifiableList(all);
  }

  private int batchSize(int batch) {
    return Math.toIntExact(batchStarts[batch + 1] - batchStarts[batch]);
  }

  public Path file() {
    return reader.file();
  }

  /** Number of captions N. */
  public int size() {
    return size;
  }

  /** Width of the retrieval keys. */
  public int keyDim() {
    return keyDim;
  }

  /** Width of the text features. */
  public int featureDim() {
    return featureDim;
  }

  /** Whether this is the original Xmodal-Ctx layout (gzip batch groups). */
  public boolean isOriginalLayout() {
    return batches != null;
  }

  /** All captions in row order; read on first call (all at once), then kept. */
  public List<String> captions() {
    return captions.get();
  }

  /** The text feature of one caption. */
  public float[] features(int row) {
    checkRow(row, 1);
    if (batches == null) {
      return reader.floats(features, (long) row * featureDim, featureDim);
    }
    int b = batchOf(row);
    return slice(batch(b)[1], row - batchStarts[b], featureDim);
  }

  /** Keys of rows {@code [fromRow, fromRow + rows)}, row-major. */
  public float[] keys(int fromRow, int rows) {
    checkRow(fromRow, rows);
    if (batches == null) {
      return reader.floats(keys, (long) fromRow * keyDim, Math.multiplyExact(rows, keyDim));
    }
    float[] out = new float[Math.multiplyExact(rows, keyDim)];
    int done = 0;
    while (done < rows) {
      int row = fromRow + done;
      int b = batchOf(row);
      int inBatch = (int) (row - batchStarts[b]);
      int n = Math.min(rows - done, batchSize(b) - inBatch);
      System.arraycopy(batch(b)[0], inBatch * keyDim, out, done * keyDim, n * keyDim);
      done += n;
    }
    return out;
  }

  /**
   * Where the keys matrix lies in the file, for memory mapping; empty for the original layout
   * (compressed) or if {@code keys} is not stored contiguously as float32.
   */
  public Optional<MatrixLocation> keysLocation() {
    if (keys == null || !reader.isFloat32(keys)) {
      return Optional.empty();
    }
    long offset = reader.contiguousOffset(keys);
    return offset < 0 ? Optional.empty() : Optional.of(new MatrixLocation(file(), offset, size, keyDim));
  }

  /** Root attributes, values as text. */
  public Map<String, String> attributes() {
    return attributes;
  }

  private void checkRow(int row, int rows) {
    if (row < 0 || rows < 0 || row > size - rows) {
      throw new IndexOutOfBoundsException(
          "caption rows [" + row + ", " + ((long) row + rows) + ") outside [0, " + size + ") of " + file());
    }
  }

  private int batchOf(int row) {
    int i = Arrays.binarySearch(batchStarts, row);
    return i >= 0 ? i : -i - 2;
  }

  /** Decoded {keys, features} of one original-layout batch. */
  private float[][] batch(int b) {
    float[][] cached = batchCache.get(b);
    if (cached == null) {
      int n = batchSize(b);
      cached =
          new float[][] {
            reader.floats(dataset(batches[b], "keys"), 0, n * keyDim),
            reader.floats(dataset(batches[b], "features"), 0, n * featureDim)
          };
      batchCache.put(b, cached);
    }
    return cached;
  }

  private static float[] slice(float[] matrix, long row, int cols) {
    return Arrays.copyOfRange(matrix, (int) row * cols, (int) row * cols + cols);
  }

  @Override
  public void close() {
    reader.close();
  }
}
