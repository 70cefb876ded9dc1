package org.ctx4j.core.internal.dataset;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ctx4j.DatasetException;
import org.ctx4j.DatasetFormatException;

/**
 * A streaming JSON reader over one file (Jackson's {@link JsonParser}) whose errors are {@link
 * DatasetFormatException}s naming the file, line, column and field. Reads token by token: memory
 * does not grow with the file.
 */
public final class JsonInput implements AutoCloseable {
  private static final JsonFactory FACTORY = JsonFactory.builder().build();

  private final Path file;
  private final JsonParser parser;

  private JsonInput(Path file, JsonParser parser) {
    this.file = file;
    this.parser = parser;
  }

  /** Opens {@code file}; an absent or unreadable file is a {@link DatasetException}. */
  public static JsonInput open(Path file) {
    try {
      return new JsonInput(file, FACTORY.createParser(Files.newInputStream(file)));
    } catch (NoSuchFileException e) {
      throw new DatasetException(file, "no such file: " + file, e);
    } catch (IOException e) {
      throw new DatasetException(file, "cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  public Path file() {
    return file;
  }

  /** Advances to the next token; the end of input where a value is due is an error. */
  public JsonToken next(String field) {
    try {
      JsonToken token = parser.nextToken();
      if (token == null) {
        throw error(field, "unexpected end of file");
      }
      return token;
    } catch (JsonProcessingException e) {
      throw syntaxError(e);
    } catch (IOException e) {
      throw new DatasetException(file, "cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** Advances and requires {@code expected}. */
  public void nextIs(JsonToken expected, String field) {
    next(field);
    requireCurrent(expected, field);
  }

  /** Requires the current token to be {@code expected}. */
  public void requireCurrent(JsonToken expected, String field) {
    JsonToken actual = parser.currentToken();
    if (actual != expected) {
      throw error(field, "expected " + describe(expected) + " but found " + describe(actual));
    }
  }

  /**
   * Advances inside an object: the next field's name, or null at the end of the object. The parser
   * is left on the field's value.
   */
  public String nextField(String objectField) {
    JsonToken token = next(objectField);
    if (token == JsonToken.END_OBJECT) {
      return null;
    }
    String name = currentName();
    next(objectField);
    return name;
  }

  /** Advances inside an array: true on the next element, false at the end of the array. */
  public boolean nextElement(String arrayField) {
    return next(arrayField) != JsonToken.END_ARRAY;
  }

  /** Skips the current value, with all it contains. */
  public void skipValue() {
    try {
      parser.skipChildren();
    } catch (JsonProcessingException e) {
      throw syntaxError(e);
    } catch (IOException e) {
      throw new DatasetException(file, "cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** The current value as a string; anything else is an error naming {@code field}. */
  public String string(String field) {
    requireCurrent(JsonToken.VALUE_STRING, field);
    return text();
  }

  private String text() {
    try {
      return parser.getText();
    } catch (IOException e) {
      throw syntaxError(e);
    }
  }

  /** The current value as a whole number within long range. */
  public long integer(String field) {
    requireCurrent(JsonToken.VALUE_NUMBER_INT, field);
    try {
      return parser.getLongValue();
    } catch (IOException e) {
      throw error(field, "integer out of range: " + currentText());
    }
  }

  /** The current value, an array of strings, as a list. */
  public List<String> stringArray(String field) {
    requireCurrent(JsonToken.START_ARRAY, field);
    List<String> values = new ArrayList<>();
    while (nextElement(field)) {
      if (parser.currentToken() != JsonToken.VALUE_STRING) {
        requireCurrent(JsonToken.VALUE_STRING, field + "[]"); // throws, naming the element
      }
      values.add(text());
    }
    return values;
  }

  /** Bytes consumed so far, for progress. */
  public long bytesRead() {
    return parser.currentLocation().getByteOffset();
  }

  /** Line and column (1-based) of the current token, to report a problem found later. */
  public long[] position() {
    JsonLocation at = parser.currentTokenLocation();
    return new long[] {at.getLineNr(), at.getColumnNr()};
  }

  /** An error at the current token. */
  public DatasetFormatException error(String field, String problem) {
    JsonLocation at = parser.currentTokenLocation();
    return new DatasetFormatException(file, at.getLineNr(), at.getColumnNr(), field, problem);
  }

  private DatasetFormatException syntaxError(IOException e) {
    JsonLocation at =
        e instanceof JsonProcessingException jpe && jpe.getLocation() != null
            ? jpe.getLocation()
            : parser.currentLocation();
    String problem =
        e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
    return new DatasetFormatException(
        file, at.getLineNr(), at.getColumnNr(), "", "malformed JSON: " + problem, e);
  }

  private String currentName() {
    try {
      return parser.currentName();
    } catch (IOException e) {
      throw syntaxError(e);
    }
  }

  private String currentText() {
    try {
      return parser.getText();
    } catch (IOException e) {
      return "?";
    }
  }

  private static String describe(JsonToken token) {
    if (token == null) {
      return "end of file";
    }
    switch (token) {
      case START_ARRAY:
        return "an array";
      case START_OBJECT:
        return "an object";
      case VALUE_STRING:
        return "a string";
      case VALUE_NUMBER_INT:
        return "an integer";
      case VALUE_NUMBER_FLOAT:
        return "a number";
      case VALUE_TRUE:
      case VALUE_FALSE:
        return "a boolean";
      case VALUE_NULL:
        return "null";
      default:
        return token.asString() == null ? token.name() : "'" + token.asString() + "'";
    }
  }

  @Override
  public void close() {
    try {
      parser.close();
    } catch (IOException e) {
      throw new DatasetException(file, "cannot close " + file + ": " + e.getMessage(), e);
    }
  }
}
