package org.ctx4j;

import java.nio.file.Path;

/**
 * Writing a context file failed: an I/O error, or an existing file that this writer cannot continue.
 * The message names the file; {@link #file()} returns it.
 */
public class Hdf5WriteException extends Ctx4jException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;

  public Hdf5WriteException(Path file, String message) {
    super(message);
    this.file = file;
  }

  public Hdf5WriteException(Path file, String message, Throwable cause) {
    super(message, cause);
    this.file = file;
  }

  /** The file being written. */
  public Path file() {
    return file;
  }
}
