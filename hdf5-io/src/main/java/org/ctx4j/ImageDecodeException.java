package org.ctx4j;


/**
 * An image could not be decoded: the file is missing, unreadable, empty, truncated, corrupt or not
 * an image. The message names the file and the reason.
 */
public final class ImageDecodeException extends Ctx4jException {
  private static final long serialVersionUID = 1L;

  private final String source;

  public ImageDecodeException(String source, String reason, Throwable cause) {
    super("cannot decode image " + source + ": " + reason, cause);
    this.source = source;
  }

  /** The file (or the name given for in-memory bytes) that failed. */
  public String source() {
    return source;
  }
}
