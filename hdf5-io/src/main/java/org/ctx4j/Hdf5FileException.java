package org.ctx4j;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A problem with one HDF5 context file. Carries the file and, where one is involved, the HDF5 path
 * (e.g. {@code /531912/five/texts}) so that callers can report or skip the file without parsing the
 * message.
 */
public class Hdf5FileException extends Ctx4jException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final String hdf5Path;

  public Hdf5FileException(Path file, String hdf5Path, String message, Throwable cause) {
    super(message, cause);
    this.file = file;
    this.hdf5Path = hdf5Path;
  }

  public Hdf5FileException(Path file, String hdf5Path, String message) {
    this(file, hdf5Path, message, null);
  }

  /** The file concerned. */
  public Path file() {
    return file;
  }

  /** The HDF5 object concerned, if the problem is tied to one. */
  public Optional<String> hdf5Path() {
    return Optional.ofNullable(hdf5Path);
  }
}
