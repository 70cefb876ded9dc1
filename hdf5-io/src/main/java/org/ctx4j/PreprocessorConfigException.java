package org.ctx4j;

import java.nio.file.Path;

/** A HuggingFace {@code preprocessor_config.json} is unreadable, malformed or unsupported. */
public final class PreprocessorConfigException extends Ctx4jException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final String field;

  public PreprocessorConfigException(Path file, String field, String problem, Throwable cause) {
    super(file + (field.isEmpty() ? "" : ": field '" + field + "'") + ": " + problem, cause);
    this.file = file;
    this.field = field;
  }

  /** The offending file. */
  public Path file() {
    return file;
  }

  /** The offending JSON field, or {@code ""} when the whole file is at fault. */
  public String field() {
    return field;
  }
}
