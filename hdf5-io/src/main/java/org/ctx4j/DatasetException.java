package org.ctx4j;

import java.nio.file.Path;
import java.util.Objects;

/** A dataset file or folder is absent, unreadable or inconsistent. */
public class DatasetException extends Ctx4jException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;

  public DatasetException(Path file, String message) {
    super(message);
    this.file = Objects.requireNonNull(file, "file");
  }

  public DatasetException(Path file, String message, Throwable cause) {
    super(message, cause);
    this.file = Objects.requireNonNull(file, "file");
  }

  /** The file or folder at fault. */
  public Path file() {
    return file;
  }
}
