package org.ctx4j.core.internal.retrieval;

import static org.ctx4j.core.internal.retrieval.PanelLayout.KEYS_PER_PANEL;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.ctx4j.InvalidKeysException;

/**
 * Row-major float32 little-endian keys memory-mapped from a file (e.g. the caption db's contiguous
 * {@code keys} dataset): no copy on the heap. A file region above 2 GB is mapped as several
 * buffers, each holding whole rows. {@link #load} transposes a panel's 64 rows into the cursor's
 * scratch, checking each component is finite (so a file is never scanned up front).
 *
 * <p>Java 17 cannot unmap a buffer: after {@link #close()} the mapping is released when the
 * buffers are garbage-collected.
 */
public final class MappedFloatPanels implements KeyPanels, KeyRows {
  private final String source;
  private final int size;
  private final int dim;
  private final int rowsPerChunk;
  private final FloatBuffer[] chunks;
  private volatile boolean closed;

  private MappedFloatPanels(String source, int size, int dim, int rowsPerChunk, FloatBuffer[] chunks) {
    this.source = source;
    this.size = size;
    this.dim = dim;
    this.rowsPerChunk = rowsPerChunk;
    this.chunks = chunks;
  }

  /** Maps {@code n × dim} floats starting {@code offset} bytes into {@code file}. */
  public static MappedFloatPanels map(Path file, long offset, int n, int dim) {
    return map(file, offset, n, dim, Integer.MAX_VALUE);
  }

  /** As {@link #map(Path, long, int, int)} with at most {@code maxChunkBytes} per buffer (tests). */
  static MappedFloatPanels map(Path file, long offset, int n, int dim, int maxChunkBytes) {
    String source = file.toString();
    long rowBytes = 4L * dim;
    int rowsPerChunk = (int) Math.max(1, maxChunkBytes / rowBytes);
    long needed = offset + rowBytes * n;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long fileSize = channel.size();
      if (fileSize < needed) {
        throw new InvalidKeysException(source, -1, "key file " + source + " has " + fileSize
            + " bytes, but " + n + " keys of dimension " + dim + " at offset " + offset + " need "
            + needed);
      }
      int chunkCount = (int) ((n + (long) rowsPerChunk - 1) / rowsPerChunk);
      FloatBuffer[] chunks = new FloatBuffer[chunkCount];
      for (int c = 0; c < chunkCount; c++) {
        long firstRow = (long) c * rowsPerChunk;
        long rows = Math.min(rowsPerChunk, n - firstRow);
        chunks[c] = channel
            .map(FileChannel.MapMode.READ_ONLY, offset + firstRow * rowBytes, rows * rowBytes)
            .order(ByteOrder.LITTLE_ENDIAN)
            .asFloatBuffer();
      }
      return new MappedFloatPanels(source, n, dim, rowsPerChunk, chunks);
    } catch (IOException e) {
      throw new InvalidKeysException(source, "cannot map keys from " + source + ": " + e, e);
    }
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public int dim() {
    return dim;
  }

  @Override
  public long storageBytes() {
    return 4L * size * dim;
  }

  @Override
  public void read(int key, float[] row) {
    ensureOpen();
    chunks[key / rowsPerChunk].get((key % rowsPerChunk) * dim, row, 0, dim);
  }

  @Override
  public void load(int panel, PanelCursor cursor) {
    ensureOpen();
    float[] out = cursor.scratch;
    int first = panel * KEYS_PER_PANEL;
    int count = Math.min(KEYS_PER_PANEL, size - first);
    if (count < KEYS_PER_PANEL) {
      Arrays.fill(out, 0f);
    }
    float[] row = cursor.row(dim);
    for (int j = 0; j < count; j++) {
      int key = first + j;
      chunks[key / rowsPerChunk].get((key % rowsPerChunk) * dim, row, 0, dim);
      for (int p = 0; p < dim; p++) {
        float v = row[p];
        if (!Float.isFinite(v)) {
          throw KeyChecks.nonFinite(source, key, p, v);
        }
        out[p * KEYS_PER_PANEL + j] = v;
      }
    }
    cursor.data = out;
    cursor.offset = 0;
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("key index over " + source + " is closed");
    }
  }

  @Override
  public String source() {
    return source;
  }

  @Override
  public void close() {
    closed = true;
  }
}
