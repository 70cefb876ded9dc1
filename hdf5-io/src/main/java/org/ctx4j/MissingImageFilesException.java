package org.ctx4j;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** Image files listed by a dataset are absent; the message gives the count and the first few. */
public class MissingImageFilesException extends DatasetException {
  private static final long serialVersionUID = 1L;
  private static final int NAMED_IN_MESSAGE = 5;

  private final transient Map<Long, Path> missing;

  /**
   * @param missing image id to the file that is absent, in id order
   * @param total images the source lists
   */
  public MissingImageFilesException(String source, Map<Long, Path> missing, int total) {
    super(missing.values().iterator().next(), describe(source, missing, total));
    this.missing = Collections.unmodifiableMap(new LinkedHashMap<>(missing));
  }

  private static String describe(String source, Map<Long, Path> missing, int total) {
    String firstFew =
        missing.entrySet().stream()
            .limit(NAMED_IN_MESSAGE)
            .map(e -> e.getValue() + " (id " + e.getKey() + ")")
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

  /** Id to file of every image whose file is missing, in id order. */
  public Map<Long, Path> missing() {
    return missing;
  }
}
