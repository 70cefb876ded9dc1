package org.ctx4j.core.dataset;

import java.util.List;
import java.util.stream.Collectors;

/** Image files listed by a dataset are absent; the message gives the count and the first few. */
public class MissingImageFilesException extends DatasetException {
  private static final long serialVersionUID = 1L;
  private static final int NAMED_IN_MESSAGE = 5;

  private final transient List<ImageRecord> missing;

  public MissingImageFilesException(String source, List<ImageRecord> missing, int total) {
    super(missing.get(0).file(), describe(source, missing, total));
    this.missing = List.copyOf(missing);
  }

  private static String describe(String source, List<ImageRecord> missing, int total) {
    String firstFew =
        missing.stream()
            .limit(NAMED_IN_MESSAGE)
            .map(image -> image.file() + " (id " + image.id() + ")")
            .collect(Collectors.joining(", "));
    return missing.size()
        + " of "
        + total
        + " image files of "
        + source
        + " are missing: "
        + firstFew
        + (missing.size() > NAMED_IN_MESSAGE ? ", ..." : "");
  }

  /** All images whose file is missing, in id order. */
  public List<ImageRecord> missing() {
    return missing;
  }
}
