package org.ctx4j;

/**
 * The one unchecked exception root of ctx4j. Subtypes say what went wrong and carry the file, HDF5
 * path, image id or field that caused it, so a user can act on the message alone.
 *
 * <p>It lives in the lowest module ({@code hdf5-io}) so that every module shares the same root.
 */
public class Ctx4jException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public Ctx4jException(String message) {
    super(message);
  }

  public Ctx4jException(String message, Throwable cause) {
    super(message, cause);
  }
}
