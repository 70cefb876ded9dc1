package org.ctx4j;

import java.nio.file.Path;

/**
 * A dataset file is malformed: invalid JSON, a missing or mistyped field, a bad mapping line. The
 * message starts with {@code file:line:column:} and names the field.
 */
public class DatasetFormatException extends DatasetException {
  private static final long serialVersionUID = 1L;

  private final long line;
  private final long column;
  private final String field;

  /**
   * @param line 1-based line, or -1 if unknown
   * @param column 1-based column, or -1 if unknown
   * @param field the field at fault as a path like {@code "relationships[].subject.synsets"}, or
   *     empty for a syntax error
   */
  public DatasetFormatException(
      Path file, long line, long column, String field, String problem, Throwable cause) {
    super(file, describe(file, line, column, field, problem), cause);
    this.line = line;
    this.column = column;
    this.field = field;
  }

  public DatasetFormatException(Path file, long line, long column, String field, String problem) {
    this(file, line, column, field, problem, null);
  }

  private static String describe(Path file, long line, long column, String field, String problem) {
    StringBuilder message = new StringBuilder().append(file);
    if (line > 0) {
      message.append(':').append(line);
      if (column > 0) {
        message.append(':').append(column);
      }
    }
    message.append(": ").append(problem);
    if (!field.isEmpty()) {
      message.append(" (field \"").append(field).append("\")");
    }
    return message.toString();
  }

  /** 1-based line of the problem, or -1 if unknown. */
  public long line() {
    return line;
  }

  /** 1-based column of the problem, or -1 if unknown. */
  public long column() {
    return column;
  }

  /** The field at fault, e.g. {@code "annotations[].caption"}; empty for a syntax error. */
  public String field() {
    return field;
  }
}
