package org.ctx4j.core.internal.dataset;

import com.fasterxml.jackson.core.JsonToken;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ctx4j.DatasetFormatException;

/**
 * Streams a COCO captions file ({@code {"images": [{"id", "file_name", ...}], "annotations":
 * [{"image_id", "id", "caption"}], ...}}): image ids and file names, and the captions of each image
 * in file order, stripped as the original does ({@code caption.strip()}).
 */
public final class CocoCaptionsReader {

  /** One image of the file. */
  public record Entry(long id, String fileName, List<String> captions) {}

  private CocoCaptionsReader() {}

  /**
   * Reads {@code file}. A file without "annotations" gives images without captions (like COCO's
   * image_info test files); an annotation of an image id not listed is an error.
   *
   * @return the images in file order
   */
  public static List<Entry> read(Path file) {
    Map<Long, String> fileNames = new LinkedHashMap<>();
    Map<Long, List<String>> captions = new HashMap<>();
    Map<Long, long[]> firstAnnotationAt = new HashMap<>();
    boolean sawImages = false;
    try (JsonInput in = JsonInput.open(file)) {
      in.nextIs(JsonToken.START_OBJECT, "");
      for (String field; (field = in.nextField("")) != null; ) {
        if (field.equals("images")) {
          sawImages = true;
          in.requireCurrent(JsonToken.START_ARRAY, "images");
          while (in.nextElement("images")) {
            readImage(in, fileNames);
          }
        } else if (field.equals("annotations")) {
          in.requireCurrent(JsonToken.START_ARRAY, "annotations");
          while (in.nextElement("annotations")) {
            readAnnotation(in, captions, firstAnnotationAt);
          }
        } else {
          in.skipValue();
        }
      }
      if (!sawImages) {
        throw in.error("images", "no \"images\" list: not a COCO captions file");
      }
    }
    for (Map.Entry<Long, long[]> annotated : firstAnnotationAt.entrySet()) {
      if (!fileNames.containsKey(annotated.getKey())) {
        long[] at = annotated.getValue();
        throw new DatasetFormatException(
            file,
            at[0],
            at[1],
            "annotations[].image_id",
            "annotation of image id " + annotated.getKey() + ", which \"images\" does not list");
      }
    }
    List<Entry> entries = new ArrayList<>(fileNames.size());
    fileNames.forEach(
        (id, name) -> entries.add(new Entry(id, name, captions.getOrDefault(id, List.of()))));
    return entries;
  }

  private static void readImage(JsonInput in, Map<Long, String> fileNames) {
    in.requireCurrent(JsonToken.START_OBJECT, "images[]");
    long[] at = in.position();
    Long id = null;
    String fileName = null;
    for (String field; (field = in.nextField("images[]")) != null; ) {
      switch (field) {
        case "id":
          id = in.integer("images[].id");
          break;
        case "file_name":
          fileName = in.string("images[].file_name");
          break;
        default:
          in.skipValue();
      }
    }
    if (id == null || fileName == null) {
      throw new DatasetFormatException(
          in.file(), at[0], at[1], "images[]", "image without \"id\" or \"file_name\"");
    }
    if (fileNames.putIfAbsent(id, fileName) != null) {
      throw in.error("images[].id", "image id " + id + " listed twice");
    }
  }

  private static void readAnnotation(
      JsonInput in, Map<Long, List<String>> captions, Map<Long, long[]> firstAt) {
    in.requireCurrent(JsonToken.START_OBJECT, "annotations[]");
    long[] at = in.position();
    Long imageId = null;
    String caption = null;
    for (String field; (field = in.nextField("annotations[]")) != null; ) {
      switch (field) {
        case "image_id":
          imageId = in.integer("annotations[].image_id");
          break;
        case "caption":
          caption = in.string("annotations[].caption");
          break;
        default:
          in.skipValue();
      }
    }
    if (imageId == null || caption == null) {
      throw new DatasetFormatException(
          in.file(),
          at[0],
          at[1],
          "annotations[]",
          "annotation without \"image_id\" or \"caption\"");
    }
    captions.computeIfAbsent(imageId, id -> new ArrayList<>(5)).add(PythonText.strip(caption));
    firstAt.putIfAbsent(imageId, at);
  }
}
