package org.ctx4j.core.dataset;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ctx4j.MissingImageFilesException;

/** The images a context build iterates. */
public interface ImageSource {

  /** What this source is, for logs and errors, e.g. "COCO 2014 at /data/coco (123287 images)". */
  String description();

  /** All images, sorted by id ascending; ids are unique. Immutable. */
  List<ImageRecord> images();

  /** The images whose file is not a regular readable file, in id order. */
  default List<ImageRecord> missingFiles() {
    return images().stream()
        .filter(image -> !Files.isRegularFile(image.file()) || !Files.isReadable(image.file()))
        .toList();
  }

  /**
   * Checks that every image file exists, before hours of work start.
   *
   * @throws MissingImageFilesException naming how many are missing and the first few
   */
  default void requireFilesExist() {
    List<ImageRecord> missing = missingFiles();
    if (!missing.isEmpty()) {
      Map<Long, Path> files = new LinkedHashMap<>();
      missing.forEach(r -> files.put(r.id(), r.file()));
      throw new MissingImageFilesException(description(), files, images().size());
    }
  }
}
