package org.ctx4j;

import java.nio.file.Path;

/** An image id was written twice to the same context file; the first write is kept. */
public class DuplicateImageException extends Hdf5WriteException {
  private static final long serialVersionUID = 1L;

  private final long imageId;

  public DuplicateImageException(Path file, long imageId) {
    super(file, "image " + imageId + " is already in " + file);
    this.imageId = imageId;
  }

  /** The id written twice. */
  public long imageId() {
    return imageId;
  }
}
