package org.ctx4j.hdf5.internal.read;

/**
 * Our direct reader met an HDF5 structure it does not handle (new-style groups, version 2 object
 * headers, chunked or filtered datasets, shared datatypes, ...). Not an error: callers fall back to
 * jhdf for that request. Never escapes the {@code internal.read} package's public facades.
 */
public final class UnsupportedStructureException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UnsupportedStructureException(String message) {
    super(message, null, false, false);
  }
}
