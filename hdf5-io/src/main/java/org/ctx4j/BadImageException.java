package org.ctx4j;

import java.nio.file.Path;
import java.util.Locale;

/**
 * An image could not be decoded, cropped or preprocessed. Without {@code
 * ContextBuilder.skipBad(true)} the build stops at the first one (everything written before it
 * is kept and a rerun resumes).
 */
public class BadImageException extends Ctx4jException {
  private static final long serialVersionUID = 1L;

  private final long imageId;
  private final transient Path file;
  private final String reason;

  public BadImageException(long imageId, Path file, String reason, Throwable cause) {
    super(
        String.format(Locale.ROOT, "bad image %d (%s): %s", imageId, file, reason),
        cause);
    this.imageId = imageId;
    this.file = file;
    this.reason = reason;
  }

  /** The image id. */
  public long imageId() {
    return imageId;
  }

  /** The image file. */
  public Path file() {
    return file;
  }

  /** Why it failed, one line. */
  public String reason() {
    return reason;
  }
}
