package org.ctx4j.hdf5;

import java.nio.file.Path;
import java.util.Optional;
import org.ctx4j.Hdf5FileException;
import org.ctx4j.hdf5.internal.write.JournalProgress;

/**
 * How far an interrupted writer got: the images its journal ({@code <file>.journal}) records as
 * complete in {@code <file>.partial}. These are exactly the images a resumed writer keeps; a torn
 * last journal record is not counted.
 *
 * @param file the file being written (not yet present under this name)
 * @param partial the {@code .partial} file holding the bytes written so far
 * @param descriptor what is being written (format, shape, provenance), as the journal names it;
 *     empty if the journal's header is unreadable (then nothing is resumable)
 * @param completeImages images recorded as complete
 */
public record PartialFileProgress(Path file, Path partial, String descriptor, int completeImages) {
  /**
   * The progress of an interrupted write of {@code file}, or empty if there is no {@code
   * <file>.partial}. A partial without a readable journal counts 0 images (a rerun starts it over).
   *
   * @throws Hdf5FileException if the journal exists but cannot be read
   */
  public static Optional<PartialFileProgress> of(Path file) {
    return JournalProgress.of(file)
        .map(j -> new PartialFileProgress(file, j.partial(), j.descriptor(), j.completeImages()));
  }
}
