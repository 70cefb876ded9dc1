package org.ctx4j;

import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The build ran out of disk space (or quota) writing into its output directory. Nothing already
 * written is lost: the {@code .partial} files and their journals stay, and rerunning the same
 * build once there is space resumes where it stopped. The message names the file being written
 * and, when the build knows it, how much more space the remaining work needs (estimated from the
 * output layout: images left × bytes per image of each file).
 */
public final class OutOfDiskSpaceException extends Ctx4jException {
  private static final long serialVersionUID = 1L;

  private final transient Path path;
  private final long neededBytes;

  /**
   * @param path the file being written when the space ran out
   * @param neededBytes estimated bytes the remaining work needs, or -1 if unknown
   * @param message the whole one-line message
   */
  public OutOfDiskSpaceException(Path path, long neededBytes, String message, Throwable cause) {
    super(message, cause);
    this.path = path;
    this.neededBytes = neededBytes;
  }

  /** The file being written when the space ran out. */
  public Path path() {
    return path;
  }

  /** Estimated free space the rest of the build needs, if known. */
  public OptionalLong neededBytes() {
    return neededBytes < 0 ? OptionalLong.empty() : OptionalLong.of(neededBytes);
  }
}
