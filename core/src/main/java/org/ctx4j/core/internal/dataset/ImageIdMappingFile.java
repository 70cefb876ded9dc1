package org.ctx4j.core.internal.dataset;

import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ctx4j.DatasetException;
import org.ctx4j.DatasetFormatException;

/**
 * Reads an image id → file mapping: a JSON object {@code {"531912": "a.jpg"}} or CSV lines {@code
 * id,path} (optional header, blank lines ignored, the path is all after the first comma).
 */
public final class ImageIdMappingFile {
  private ImageIdMappingFile() {}

  /** The mapping in file order; a repeated id is an error. */
  public static Map<Long, String> read(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".json")) {
      return readJson(file);
    }
    if (name.endsWith(".csv")) {
      return readCsv(file);
    }
    throw new DatasetException(file, "mapping file must end in .json or .csv: " + file);
  }

  private static Map<Long, String> readJson(Path file) {
    Map<Long, String> mapping = new LinkedHashMap<>();
    try (JsonInput in = JsonInput.open(file)) {
      in.nextIs(JsonToken.START_OBJECT, "");
      for (String key; (key = in.nextField("")) != null; ) {
        long[] at = in.position();
        String path = in.string(key);
        long id = parseId(key, file, at[0], at[1], key);
        if (mapping.put(id, path) != null) {
          throw in.error(key, "image id " + id + " mapped twice");
        }
      }
    }
    return mapping;
  }

  private static Map<Long, String> readCsv(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new DatasetException(file, "cannot read " + file + ": " + e.getMessage(), e);
    }
    Map<Long, String> mapping = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty()) {
        continue;
      }
      int comma = line.indexOf(',');
      if (comma < 0) {
        throw new DatasetFormatException(
            file, i + 1, -1, "", "expected \"id,path\" but found \"" + line + "\"");
      }
      String idText = line.substring(0, comma).strip();
      if (i == 0 && !idText.isEmpty() && !Character.isDigit(idText.charAt(0))) {
        continue; // a header such as "id,file"
      }
      String path = line.substring(comma + 1).strip();
      long id = parseId(idText, file, i + 1, 1, "id");
      if (path.isEmpty()) {
        throw new DatasetFormatException(
            file, i + 1, comma + 2, "path", "empty path for image id " + id);
      }
      if (mapping.put(id, path) != null) {
        throw new DatasetFormatException(file, i + 1, 1, "id", "image id " + id + " mapped twice");
      }
    }
    return mapping;
  }

  private static long parseId(String text, Path file, long line, long column, String field) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new DatasetFormatException(
          file, line, column, field, "image id \"" + text + "\" is not a whole number", e);
    }
  }
}
