package org.ctx4j.core.dataset;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One image of a dataset: its id (the key of the context files), where its file is, and its
 * reference captions (empty when the source has none).
 *
 * @param id image id, e.g. the COCO image id
 * @param file image file; it need not exist ({@link ImageSource#requireFilesExist()} checks)
 * @param captions reference captions in file order, surrounding whitespace stripped; immutable
 */
public record ImageRecord(long id, Path file, List<String> captions) {
  public ImageRecord {
    Objects.requireNonNull(file, "file");
    captions = List.copyOf(captions);
  }
}
