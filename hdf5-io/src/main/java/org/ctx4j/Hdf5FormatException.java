package org.ctx4j;

import java.nio.file.Path;

/**
 * The file is not what it should be: not HDF5 at all, empty, truncated, corrupt, of another kind
 * (e.g. a visual context opened as a textual one), or an HDF5 object has an unexpected type or
 * shape. The message names the file, the HDF5 path and the offending value.
 */
public class Hdf5FormatException extends Hdf5FileException {
  private static final long serialVersionUID = 1L;

  public Hdf5FormatException(Path file, String hdf5Path, String message, Throwable cause) {
    super(file, hdf5Path, message, cause);
  }

  public Hdf5FormatException(Path file, String hdf5Path, String message) {
    super(file, hdf5Path, message, null);
  }
}
