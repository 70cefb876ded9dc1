package org.ctx4j.core.internal.retrieval;

import static org.ctx4j.core.internal.retrieval.PanelLayout.KEYS_PER_PANEL;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.UUID;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Memory-mapped float32 keys kept a second time, in the search's panel layout, in a file beside
 * them: a search copies each panel whole instead of transposing its 64 rows, which for mapped keys
 * cost ~30 µs per 64 × 512 panel on every block of queries (1.3–1.7× the search time of packed
 * heap keys, measured in {@code ExactSearchBenchmark}), with nothing on the heap.
 *
 * <p>The cache file is made on first use (written under a temporary name, checked keys only, then
 * renamed) and reused while its header matches the key file: its size, modification time, the
 * keys' offset and shape and a CRC of the first and last rows. Only where the file system has room
 * for it twice over; when it cannot be made the keys are searched as they are.
 */
public final class PanelCacheFile implements KeyPanels, KeyRows {
  private static final Logger LOG = LoggerFactory.getLogger(PanelCacheFile.class);
  private static final long MAGIC = 0x4c4e504a34585443L; // "CTX4JPNL" in little-endian bytes
  private static final int VERSION = 1;
  /** Header bytes; panels start page-aligned after it. */
  static final int HEADER = 4096;

  private final MappedFloatPanels rows;
  private final int panelsPerChunk;
  private final FloatBuffer[] chunks;
  private volatile boolean closed;

  private PanelCacheFile(MappedFloatPanels rows, int panelsPerChunk, FloatBuffer[] chunks) {
    this.rows = rows;
    this.panelsPerChunk = panelsPerChunk;
    this.chunks = chunks;
  }

  /**
   * The keys of {@code rows} ({@code keyFile} at {@code offset}) served from the panel cache
   * {@code cache}, made now if it is missing or stale; {@code rows} itself when it cannot be made.
   */
  public static KeyPanels open(MappedFloatPanels rows, Path keyFile, long offset, Path cache) {
    return open(rows, keyFile, offset, cache, Integer.MAX_VALUE);
  }

  /** As {@link #open(MappedFloatPanels, Path, long, Path)} with smaller mappings (tests). */
  static KeyPanels open(
      MappedFloatPanels rows, Path keyFile, long offset, Path cache, int maxChunkBytes) {
    try {
      ByteBuffer header = header(rows, keyFile, offset);
      if (!matches(cache, header)) {
        long bytes = HEADER + panelBytes(rows.dim()) * rows.panelCount();
        Path dir = cache.toAbsolutePath().getParent();
        long usable = Files.getFileStore(dir).getUsableSpace();
        if (usable < 2 * bytes) {
          LOG.info("not caching key panels in {}: {} bytes free, {} needed twice", dir, usable,
              bytes);
          return rows;
        }
        if (!writeUnlessBusy(rows, header, cache)) {
          return rows;
        }
      }
      return map(rows, cache, maxChunkBytes);
    } catch (IOException e) {
      LOG.info("searching {} without a panel cache: {}", keyFile, e.toString());
      return rows;
    }
  }

  private static long panelBytes(int dim) {
    return 4L * KEYS_PER_PANEL * dim;
  }

  /** What identifies the keys: the header a matching cache file starts with. */
  private static ByteBuffer header(MappedFloatPanels rows, Path keyFile, long offset)
      throws IOException {
    BasicFileAttributes a = Files.readAttributes(keyFile, BasicFileAttributes.class);
    CRC32 crc = new CRC32();
    float[] row = new float[rows.dim()];
    ByteBuffer bytes = ByteBuffer.allocate(4 * rows.dim()).order(ByteOrder.LITTLE_ENDIAN);
    for (int key : new int[] {0, rows.size() - 1}) {
      rows.read(key, row);
      bytes.clear();
      bytes.asFloatBuffer().put(row);
      crc.update(bytes.array());
    }
    ByteBuffer h = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
    h.putLong(MAGIC).putInt(VERSION).putInt(KEYS_PER_PANEL).putLong(a.size())
        .putLong(a.lastModifiedTime().toMillis()).putLong(offset).putInt(rows.size())
        .putInt(rows.dim()).putLong(crc.getValue());
    return h.flip();
  }

  private static boolean matches(Path cache, ByteBuffer header) throws IOException {
    if (!Files.isRegularFile(cache)
        || Files.size(cache) != HEADER + panelBytes(header.getInt(44))
            * PanelLayout.panelCount(header.getInt(40))) {
      return false;
    }
    ByteBuffer found = ByteBuffer.allocate(header.remaining());
    try (FileChannel ch = FileChannel.open(cache, StandardOpenOption.READ)) {
      while (found.hasRemaining() && ch.read(found) >= 0) {
        // read the header whole
      }
    }
    return found.flip().equals(header.duplicate());
  }

  /**
   * Writes the cache unless another process or thread is writing it (a lock on {@code
   * <cache>.lock}): tasks of a cluster job that start together must not each write gigabytes
   * beside a shared caption db. Returns whether the cache is written now.
   */
  private static boolean writeUnlessBusy(MappedFloatPanels rows, ByteBuffer header, Path cache)
      throws IOException {
    Path lockFile = cache.resolveSibling(cache.getFileName() + ".lock");
    try (FileChannel channel =
        FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      FileLock lock = tryLock(channel);
      if (lock == null) {
        LOG.info("{} is being written by another task: searching {} in place meanwhile", cache,
            rows.source());
        return false;
      }
      try (lock) {
        if (!matches(cache, header)) { // another writer may have finished meanwhile
          write(rows, header, cache);
        }
        return true;
      } finally {
        Files.deleteIfExists(lockFile);
      }
    }
  }

  /** The lock, or null when another process or a thread of this JVM holds it. */
  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException e) {
      return null;
    }
  }

  /** Writes the panels under a temporary name, then renames it into place. */
  private static void write(MappedFloatPanels rows, ByteBuffer header, Path cache)
      throws IOException {
    Path tmp = cache.resolveSibling(cache.getFileName() + ".tmp-" + UUID.randomUUID());
    long start = System.nanoTime();
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE)) {
        ByteBuffer first = ByteBuffer.allocate(HEADER);
        first.put(header.duplicate()).position(HEADER).flip();
        writeFully(ch, first);
        PanelCursor cursor = new PanelCursor(rows.dim());
        ByteBuffer panel = ByteBuffer.allocateDirect((int) panelBytes(rows.dim()))
            .order(ByteOrder.LITTLE_ENDIAN);
        for (int p = 0; p < rows.panelCount(); p++) {
          rows.load(p, cursor); // checks every key is finite
          panel.clear();
          panel.asFloatBuffer().put(cursor.data, cursor.offset, KEYS_PER_PANEL * rows.dim());
          writeFully(ch, panel);
        }
      }
      Files.move(tmp, cache, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      LOG.info("cached {} key panels of {} in {} ({} ms)", rows.panelCount(), rows.source(), cache,
          (System.nanoTime() - start) / 1_000_000);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }

  private static PanelCacheFile map(MappedFloatPanels rows, Path cache, int maxChunkBytes)
      throws IOException {
    long bytesPerPanel = panelBytes(rows.dim());
    int panelsPerChunk = (int) Math.max(1, maxChunkBytes / bytesPerPanel);
    int panels = rows.panelCount();
    int chunkCount = (panels + panelsPerChunk - 1) / panelsPerChunk;
    FloatBuffer[] chunks = new FloatBuffer[chunkCount];
    try (FileChannel ch = FileChannel.open(cache, StandardOpenOption.READ)) {
      for (int c = 0; c < chunkCount; c++) {
        long first = (long) c * panelsPerChunk;
        long count = Math.min(panelsPerChunk, panels - first);
        chunks[c] = ch.map(FileChannel.MapMode.READ_ONLY, HEADER + first * bytesPerPanel,
                count * bytesPerPanel)
            .order(ByteOrder.LITTLE_ENDIAN)
            .asFloatBuffer();
      }
    }
    return new PanelCacheFile(rows, panelsPerChunk, chunks);
  }

  @Override
  public int size() {
    return rows.size();
  }

  @Override
  public int dim() {
    return rows.dim();
  }

  /** The key file's bytes: the cache's pages are the same size again, in the page cache. */
  @Override
  public long storageBytes() {
    return rows.storageBytes();
  }

  @Override
  public void read(int key, float[] row) {
    rows.read(key, row);
  }

  @Override
  public void load(int panel, PanelCursor cursor) {
    if (closed) {
      throw new IllegalStateException("key index over " + rows.source() + " is closed");
    }
    int floats = KEYS_PER_PANEL * rows.dim();
    int at = (panel % panelsPerChunk) * floats;
    chunks[panel / panelsPerChunk].get(at, cursor.scratch, 0, floats);
    cursor.data = cursor.scratch;
    cursor.offset = 0;
  }

  @Override
  public String source() {
    return rows.source();
  }

  @Override
  public void close() {
    closed = true;
    rows.close();
  }
}
