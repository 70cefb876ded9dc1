package org.ctx4j.hdf5;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ctx4j.DuplicateImageException;
import org.ctx4j.IncompatibleContextFileException;
import org.ctx4j.hdf5.internal.write.TextualFileWriter;

/**
 * Streams a textual context file ({@code txt_ctx.hdf5}). In the original layout every image is a
 * group holding one subgroup per crop with {@code features} float32 {@code (k,d)}/{@code
 * (count,k,d)}, {@code scores} float32 {@code (k,)}/{@code (count,k)} and {@code texts}
 * variable-length UTF-8 strings of the scores' shape, as the original wrote them (h5py returns
 * {@code bytes}). In the compact layout each crop subgroup holds {@code ids} int32 (rows of the
 * caption db) and {@code scores}; the provenance must then name the caption db under key {@code
 * caption_db} (path relative to this file), and may add {@code caption_db_size} and {@code
 * caption_db_checksum}.
 *
 * <p>Crash safety, resume and memory as for {@link VisualContextWriter}. Methods are
 * synchronised; one writer per file.
 */
public final class TextualContextWriter implements AutoCloseable {
  private final TextualFileWriter delegate;

  private TextualContextWriter(TextualFileWriter delegate) {
    this.delegate = delegate;
  }

  /**
   * Creates {@code file}, resumes an interrupted run of it, or reopens it for appending if it is
   * finished.
   *
   * @throws IncompatibleContextFileException if the existing run or file used another layout or
   *     provenance, or {@code file} was not written by ctx4j
   * @throws IllegalArgumentException if the compact layout lacks the {@code caption_db} provenance
   */
  public static TextualContextWriter open(
      Path file, TextualLayout layout, Map<String, String> provenance) {
    return new TextualContextWriter(
        TextualFileWriter.open(
            file, layout, provenance, VisualContextWriter.defaultSyncIntervalNanos()));
  }

  /** Whether {@code imageId} has been written (in this run or a resumed earlier one). */
  public boolean isComplete(long imageId) {
    return delegate.isComplete(imageId);
  }

  /** Number of images written so far, including those of a resumed run. */
  public int completedCount() {
    return delegate.completedCount();
  }

  /**
   * Images safely on disk: what a later {@link #open} would resume with after a failure now (the
   * images written since the last forced commit are redone).
   */
  /**
   * Estimated bytes one more image adds to such a file, from its layout (for disk-space
   * estimates: within a few per cent for typical layouts; {@code meanTextBytes} is the mean UTF-8
   * length of the caption texts).
   */
  public static long estimatedBytesPerImage(TextualLayout layout, double meanTextBytes) {
    return TextualFileWriter.estimatedBytesPerImage(layout, meanTextBytes);
  }

  public int durableCount() {
    return delegate.durableCount();
  }

  /**
   * Appends one image: exactly one {@link CropContext} per crop of the layout, in any order. All
   * input is checked before anything is written, so a rejected call loses nothing. NaN scores or
   * features are stored as given.
   *
   * @throws IllegalArgumentException naming image, crop and field on a missing or unknown crop,
   *     count/k differing from the layout, wrong array lengths, null texts, negative caption ids
   * @throws DuplicateImageException if {@code imageId} was written before
   * @throws IllegalStateException after {@link #close}
   */
  public void write(long imageId, List<CropContext> crops) {
    delegate.write(imageId, crops);
  }

  /** Finalises the file (root index, attributes, superblock) and renames it into place. */
  @Override
  public void close() {
    delegate.close();
  }

  /** Stops without finalising; a later {@link #open} resumes from what was written. */
  public void abandon() {
    delegate.abandon();
  }
}
