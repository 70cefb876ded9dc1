package org.ctx4j;

import java.nio.file.Path;

/** Another build (or merge) holds the output directory's lock; the message names its process. */
public final class OutputInUseException extends Ctx4jException {
  private static final long serialVersionUID = 1L;
  private final transient Path directory;

  public OutputInUseException(Path directory, String holder) {
    super(
        "the output directory " + directory + " is in use by another ctx4j build (" + holder
            + "); wait for it to finish, or build into another directory");
    this.directory = directory;
  }

  /** The locked output directory. */
  public Path directory() {
    return directory;
  }
}
