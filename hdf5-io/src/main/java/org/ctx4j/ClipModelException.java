package org.ctx4j;

import java.nio.file.Path;

/**
 * A CLIP model directory that cannot be used: a missing or malformed file, a missing or mis-shaped
 * tensor, an unsupported setting. Carries the offending file and, where there is one, the item in
 * it (a tensor name or a config field).
 */
public class ClipModelException extends Ctx4jException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final String item;

  /**
   * @param file the file at fault
   * @param item the tensor or field at fault, or null when the whole file is
   * @param message what is wrong, naming the offending value
   */
  public ClipModelException(Path file, String item, String message) {
    super(message + " (" + describe(file, item) + ")");
    this.file = file;
    this.item = item;
  }

  /** As {@link #ClipModelException(Path, String, String)}, with the underlying cause. */
  public ClipModelException(Path file, String item, String message, Throwable cause) {
    super(message + " (" + describe(file, item) + ")", cause);
    this.file = file;
    this.item = item;
  }

  /** The file at fault. */
  public Path file() {
    return file;
  }

  /** The tensor name or config field at fault, or {@code null} when the whole file is. */
  public String item() {
    return item;
  }

  private static String describe(Path file, String item) {
    return item == null ? "in " + file : item + " in " + file;
  }
}
