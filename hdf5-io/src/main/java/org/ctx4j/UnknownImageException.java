package org.ctx4j;

import java.nio.file.Path;

/** A context file has no entry for the requested image id. */
public class UnknownImageException extends Hdf5FileException {
  private static final long serialVersionUID = 1L;

  private final long imageId;

  public UnknownImageException(Path file, long imageId) {
    super(file, "/" + imageId, "unknown image id " + imageId + " in " + file);
    this.imageId = imageId;
  }

  /** The id that was asked for. */
  public long imageId() {
    return imageId;
  }
}
