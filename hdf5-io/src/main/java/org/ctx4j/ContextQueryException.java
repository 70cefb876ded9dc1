package org.ctx4j;

import java.nio.file.Path;

/**
 * A query that the file cannot answer because an argument is out of what it stores: an unknown crop
 * name, a crop index outside {@code [0, count)}, or k outside {@code [1, stored k]}. {@link
 * #field()} names the argument ({@code "crop"}, {@code "cropIndex"} or {@code "k"}).
 */
public class ContextQueryException extends Hdf5FileException {
  private static final long serialVersionUID = 1L;

  private final String field;
  private final String value;

  public ContextQueryException(Path file, String hdf5Path, String field, Object value, String message) {
    super(file, hdf5Path, message);
    this.field = field;
    this.value = String.valueOf(value);
  }

  /** The argument that is out of range: {@code "crop"}, {@code "cropIndex"} or {@code "k"}. */
  public String field() {
    return field;
  }

  /** The offending value as given. */
  public String value() {
    return value;
  }
}
