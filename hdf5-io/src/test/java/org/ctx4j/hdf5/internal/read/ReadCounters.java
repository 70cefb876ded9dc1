package org.ctx4j.hdf5.internal.read;

/** Test access to the reader's read counters (package-private in the library). */
public final class ReadCounters {
  private ReadCounters() {}

  /** Reads by all readers so far. */
  public static long reads() {
    return FileBytes.READS.sum();
  }

  /** Bytes read by all readers so far. */
  public static long bytesRead() {
    return FileBytes.BYTES_READ.sum();
  }
}
