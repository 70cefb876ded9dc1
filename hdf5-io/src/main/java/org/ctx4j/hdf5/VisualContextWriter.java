package org.ctx4j.hdf5;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.ctx4j.DuplicateImageException;
import org.ctx4j.Hdf5WriteException;
import org.ctx4j.IncompatibleContextFileException;
import org.ctx4j.UnknownImageException;
import org.ctx4j.hdf5.internal.read.ImageBlock;
import org.ctx4j.hdf5.internal.write.Provenance;
import org.ctx4j.hdf5.internal.write.VisualFileWriter;

/**
 * Streams a visual context file ({@code vis_ctx.hdf5}): one float32 {@code (dim,)} dataset per
 * image, named by its decimal id, plus the root attribute {@code fdim}, readable by h5py exactly
 * as the original's {@code f[str(img_id)][:]}.
 *
 * <p><b>Crash safety.</b> Bytes go to {@code <file>.partial}; completed images are journalled in
 * {@code <file>.journal} (forced to disk every few seconds). If the process dies, the next {@link
 * #open} with the same dimension and provenance resumes: {@link #isComplete} tells which images
 * survived. {@link #close} finalises and renames to {@code <file>} atomically; until then no HDF5
 * reader accepts the partial file. {@code open} on a finished file written by ctx4j with the same
 * settings reopens it for appending (its images count as complete); other files are refused.
 *
 * <p>Memory stays bounded: about 40 bytes per image for the root index plus an 8 MB buffer.
 * Methods are synchronised; one writer per file.
 */
public final class VisualContextWriter implements AutoCloseable {
  private final VisualFileWriter delegate;

  private VisualContextWriter(VisualFileWriter delegate) {
    this.delegate = delegate;
  }

  /**
   * Root attributes every ctx4j writer sets itself (format, version, shapes); provenance given to
   * a writer must not contain them. To copy one file's attributes into another, leave these out.
   */
  public static final Set<String> WRITER_ATTRIBUTES = Provenance.RESERVED;

  /**
   * Creates {@code file}, resumes an interrupted run of it, or reopens it for appending if it is
   * finished.
   *
   * @param dim the feature width (768 for ViT-B/32), stored as root attribute {@code fdim}
   * @param provenance extra string root attributes (e.g. {@code model}); h5py readers ignore them
   * @throws IncompatibleContextFileException if the existing run or file used another dim or
   *     provenance, or {@code file} was not written by ctx4j
   * @throws Hdf5WriteException on I/O failure
   */
  public static VisualContextWriter open(Path file, int dim, Map<String, String> provenance) {
    return new VisualContextWriter(
        VisualFileWriter.open(file, dim, provenance, defaultSyncIntervalNanos()));
  }

  static long defaultSyncIntervalNanos() {
    return Long.getLong("ctx4j.hdf5.syncIntervalMillis", 5_000L) * 1_000_000L;
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
  public static long estimatedBytesPerImage(int dim) {
    return VisualFileWriter.estimatedBytesPerImage(dim);
  }

  public int durableCount() {
    return delegate.durableCount();
  }

  /**
   * Appends one image's feature. NaN and infinities are stored as given (they are valid float32).
   *
   * @throws IllegalArgumentException if {@code feature.length != dim} or {@code imageId < 0}
   * @throws DuplicateImageException if {@code imageId} was written before
   * @throws IllegalStateException after {@link #close}
   */
  public void write(long imageId, float[] feature) {
    delegate.write(imageId, feature);
  }

  /**
   * Appends image {@code imageId} as {@code source} stores it, e.g. from a shard into the merged
   * file. When this version of ctx4j wrote {@code source}, the image's bytes are copied and their
   * file addresses moved, without decoding them; otherwise its feature is read and written as
   * {@link #write} does. Either way the file gets the bytes writing the same feature gives.
   *
   * @return true when the bytes were copied, false when the feature was read and re-written
   * @throws IllegalArgumentException if {@code source} has another fdim
   * @throws UnknownImageException if {@code source} has no such image
   * @throws DuplicateImageException if {@code imageId} was written before
   * @throws IllegalStateException after {@link #close}
   */
  public boolean copyImage(VisualContextFile source, long imageId) {
    checkNotNull(source, "source");
    checkArgument(
        source.dim() == delegate.dim(),
        "cannot copy image %s from %s (fdim %s) into a file of fdim %s",
        imageId,
        source.file(),
        source.dim(),
        delegate.dim());
    ImageBlock block =
        Provenance.writtenByThisVersion(source.attributes()) ? source.imageBlock(imageId) : null;
    if (block == null) {
      write(imageId, source.features(imageId));
      return false;
    }
    delegate.writeMoved(
        imageId, block.start(), block.bytes(), block.addressFields(), block.header());
    return true;
  }

  /** Finalises the file (root index, attributes, superblock) and renames it into place. */
  @Override
  public void close() {
    delegate.close();
  }

  /**
   * Stops without finalising: everything written stays in {@code <file>.partial} for a later
   * {@link #open} to resume (what an interrupted pipeline should call instead of {@link #close}).
   */
  public void abandon() {
    delegate.abandon();
  }
}
