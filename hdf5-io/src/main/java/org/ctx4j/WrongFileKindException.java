package org.ctx4j;

import java.nio.file.Path;

/**
 * The file is a readable HDF5 file of another kind than the reader expects: e.g. a visual context
 * opened as a caption db, or a plain h5py file with neither our {@code ctx4j_format} attribute nor
 * the layout the original code writes. {@link #found()} and {@link #expected()} describe both kinds
 * in words ("a visual context (vis_ctx)"), so a caller (the CLI) can phrase its own message.
 */
public class WrongFileKindException extends Hdf5FormatException {
  private static final long serialVersionUID = 1L;

  private final String found;
  private final String expected;

  public WrongFileKindException(Path file, String found, String expected, String message) {
    super(file, "/", message);
    this.found = found;
    this.expected = expected;
  }

  /** What the file is, e.g. {@code "a visual context (vis_ctx)"}. */
  public String found() {
    return found;
  }

  /** What the reader expected, e.g. {@code "a caption database (caption_db)"}. */
  public String expected() {
    return expected;
  }
}
