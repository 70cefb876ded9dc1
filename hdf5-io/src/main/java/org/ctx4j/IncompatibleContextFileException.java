package org.ctx4j;

import java.nio.file.Path;

/**
 * An existing (partial or finished) context file was made with other settings (format, dimension,
 * crops, provenance) than the writer now asked for, so it cannot be resumed. Delete it (and its
 * {@code .partial}/{@code .journal} siblings) to start over, or open it with matching settings.
 */
public class IncompatibleContextFileException extends Hdf5WriteException {
  private static final long serialVersionUID = 1L;

  public IncompatibleContextFileException(Path file, String message) {
    super(file, message);
  }
}
