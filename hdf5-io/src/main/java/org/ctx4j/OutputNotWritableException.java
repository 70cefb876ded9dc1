package org.ctx4j;

import java.io.IOException;
import java.nio.file.Path;

/** The output directory cannot be created or written (read-only, no permission, not a directory). */
public final class OutputNotWritableException extends Ctx4jException {
  private static final long serialVersionUID = 1L;
  private final transient Path directory;

  public OutputNotWritableException(Path directory, IOException cause) {
    super("cannot write to the output directory " + directory + ": " + reason(cause), cause);
    this.directory = directory;
  }

  /** The directory that could not be written. */
  public Path directory() {
    return directory;
  }

  private static String reason(IOException e) {
    String simple = e.getClass().getSimpleName();
    switch (simple) {
      case "AccessDeniedException":
        return "permission denied";
      case "FileAlreadyExistsException":
        return "a file of that name exists and is not a directory";
      case "FileSystemException":
        return e.getMessage();
      default:
        return e.getMessage() == null ? simple : e.getMessage();
    }
  }
}
