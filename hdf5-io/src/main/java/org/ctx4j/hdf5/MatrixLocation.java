package org.ctx4j.hdf5;

import java.nio.file.Path;

/**
 * Where a row-major float32 little-endian matrix lies uncompressed in a file, so that it can be
 * memory-mapped: {@code rows * cols * 4} bytes starting at byte {@code offset} of {@code file}.
 *
 * @param file the file
 * @param offset absolute byte offset of element (0, 0)
 * @param rows number of rows
 * @param cols number of columns
 */
public record MatrixLocation(Path file, long offset, int rows, int cols) {
  /** The matrix size in bytes. */
  public long byteSize() {
    return (long) rows * cols * Float.BYTES;
  }
}
