package org.ctx4j.hdf5;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ctx4j.DuplicateImageException;
import org.ctx4j.IncompatibleContextFileException;
import org.ctx4j.UnknownImageException;
import org.ctx4j.hdf5.internal.read.ImageBlock;
import org.ctx4j.hdf5.internal.write.Provenance;
import org.ctx4j.hdf5.internal.write.TextualFileWriter;
import org.ctx4j.hdf5.internal.write.TextualFileWriter.CropRows;
import org.ctx4j.hdf5.internal.write.TextualFileWriter.CropShape;

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
  private final Path file;
  private final TextualLayout layout;

  private TextualContextWriter(TextualFileWriter delegate, Path file, TextualLayout layout) {
    this.delegate = delegate;
    this.file = file;
    this.layout = layout;
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
    checkNotNull(file, "file");
    checkNotNull(layout, "layout");
    return new TextualContextWriter(
        TextualFileWriter.open(
            file,
            layout.dim(),
            shapes(layout),
            layout.compact(),
            provenance,
            VisualContextWriter.defaultSyncIntervalNanos()),
        file,
        layout);
  }

  private static List<CropShape> shapes(TextualLayout layout) {
    return layout.crops().stream()
        .map(c -> new CropShape(c.name(), c.count(), c.k(), c.hasCropAxis()))
        .toList();
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
   * Estimated bytes one more image adds to such a file, from its layout (for disk-space
   * estimates: within a few per cent for typical layouts; {@code meanTextBytes} is the mean UTF-8
   * length of the caption texts).
   */
  public static long estimatedBytesPerImage(TextualLayout layout, double meanTextBytes) {
    return TextualFileWriter.estimatedBytesPerImage(
        layout.dim(), shapes(layout), layout.compact(), meanTextBytes);
  }

  /**
   * Images safely on disk: what a later {@link #open} would resume with after a failure now (the
   * images written since the last forced commit are redone).
   */
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
    checkArgument(imageId >= 0, "image id (%s) must be >= 0", imageId);
    checkNotNull(crops, "crops of image %s", imageId);
    delegate.write(imageId, inLayoutOrder(imageId, crops));
  }

  /**
   * Appends image {@code imageId} as {@code source} stores it, e.g. from a shard into the merged
   * file. When this version of ctx4j wrote {@code source}, the image's bytes are copied and their
   * file addresses moved, without decoding a string or a float; otherwise its crops are read whole
   * and written as {@link #write} does. Either way the file gets the bytes writing the same
   * contexts gives. In the compact layout the caption ids are copied as stored: {@code source}
   * must refer to the same caption db as this file.
   *
   * @return true when the bytes were copied, false when the image was read and re-written
   * @throws IllegalArgumentException if {@code source} has another layout (dim, crops, counts, k,
   *     compact or not)
   * @throws UnknownImageException if {@code source} has no such image
   * @throws DuplicateImageException if {@code imageId} was written before
   * @throws IllegalStateException after {@link #close}
   */
  public boolean copyImage(TextualContextFile source, long imageId) {
    checkNotNull(source, "source");
    TextualLayout from = source.layout();
    checkArgument(
        from.equals(layout),
        "cannot copy image %s from %s (%s) into %s (%s): the layouts differ",
        imageId,
        source.file(),
        from,
        file,
        layout);
    ImageBlock block =
        Provenance.writtenByThisVersion(source.attributes()) ? source.imageBlock(imageId) : null;
    if (block == null) {
      write(imageId, source.storedContexts(imageId));
      return false;
    }
    delegate.writeMoved(
        imageId, block.start(), block.bytes(), block.addressFields(), block.header());
    return true;
  }

  private CropRows[] inLayoutOrder(long imageId, List<CropContext> crops) {
    List<CropSpec> specs = layout.crops();
    CropRows[] byLayoutOrder = new CropRows[specs.size()];
    for (CropContext c : crops) {
      checkNotNull(c, "null crop for image %s", imageId);
      int at = indexOf(c.crop());
      checkArgument(
          at >= 0,
          "image %s: crop %s is not in the layout of %s (%s)",
          imageId,
          c.crop(),
          file,
          specs);
      checkArgument(
          byLayoutOrder[at] == null, "image %s: crop %s given twice", imageId, c.crop());
      CropSpec spec = specs.get(at);
      checkArgument(
          c.count() == spec.count() && c.k() == spec.k(),
          "image %s crop %s: count %s, k %s, but the layout of %s has count %s, k %s",
          imageId,
          c.crop(),
          c.count(),
          c.k(),
          file,
          spec.count(),
          spec.k());
      int rows = spec.count() * spec.k();
      checkLength(imageId, c, "scores", c.scores().length, rows);
      if (layout.compact()) {
        checkArgument(
            c.captionIds() != null,
            "image %s crop %s: the compact layout of %s needs captionIds",
            imageId,
            c.crop(),
            file);
        checkLength(imageId, c, "captionIds", c.captionIds().length, rows);
        for (int i = 0; i < rows; i++) {
          checkArgument(
              c.captionIds()[i] >= 0,
              "image %s crop %s: captionIds[%s] (%s) is negative",
              imageId,
              c.crop(),
              i,
              c.captionIds()[i]);
        }
      } else {
        checkArgument(
            c.texts() != null && c.features() != null,
            "image %s crop %s: the original layout of %s needs texts and features",
            imageId,
            c.crop(),
            file);
        checkLength(imageId, c, "texts", c.texts().length, rows);
        checkLength(imageId, c, "features", c.features().length, (long) rows * layout.dim());
        for (int i = 0; i < rows; i++) {
          checkArgument(
              c.texts()[i] != null, "image %s crop %s: texts[%s] is null", imageId, c.crop(), i);
        }
      }
      byLayoutOrder[at] = new CropRows(c.texts(), c.scores(), c.features(), c.captionIds());
    }
    for (int i = 0; i < specs.size(); i++) {
      checkArgument(
          byLayoutOrder[i] != null,
          "image %s: crop %s of the layout is missing",
          imageId,
          specs.get(i).name());
    }
    return byLayoutOrder;
  }

  private static void checkLength(long imageId, CropContext c, String field, long actual, long want) {
    checkArgument(
        actual == want,
        "image %s crop %s: %s has length %s, expected %s (count %s x k %s%s)",
        imageId,
        c.crop(),
        field,
        actual,
        want,
        c.count(),
        c.k(),
        field.equals("features") ? " x dim" : "");
  }

  private int indexOf(String crop) {
    List<CropSpec> specs = layout.crops();
    for (int i = 0; i < specs.size(); i++) {
      if (specs.get(i).name().equals(crop)) {
        return i;
      }
    }
    return -1;
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
