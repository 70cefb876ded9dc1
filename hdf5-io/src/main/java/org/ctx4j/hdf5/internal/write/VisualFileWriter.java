package org.ctx4j.hdf5.internal.write;

import java.nio.ByteBuffer;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes {@code vis_ctx.hdf5}: one float32 {@code (dim,)} dataset per image at the root, named by
 * the decimal id, and the root attribute {@code fdim}. See {@code docs/hdf5-format.md}.
 */
public final class VisualFileWriter implements AutoCloseable {
  public static final String FORMAT = "vis_ctx/1";

  private final AppendableHdf5File file;
  private final int dim;
  private final TreeMap<String, String> provenance;

  private VisualFileWriter(AppendableHdf5File file, int dim, TreeMap<String, String> provenance) {
    this.file = file;
    this.dim = dim;
    this.provenance = provenance;
  }

  public static VisualFileWriter open(
      Path path, int dim, Map<String, String> provenance, long syncIntervalNanos) {
    checkNotNull(path, "file");
    checkArgument(dim >= 1, "feature dim (%s) must be >= 1 for %s", dim, path);
    TreeMap<String, String> prov = Provenance.checked(provenance);
    String descriptor = Provenance.descriptor(FORMAT, "fdim=" + dim, prov);
    return new VisualFileWriter(AppendableHdf5File.open(path, descriptor, syncIntervalNanos), dim, prov);
  }

  public synchronized boolean isComplete(long imageId) {
    return file.isComplete(imageId);
  }

  public synchronized int completedCount() {
    return file.completedCount();
  }

  /** Estimated bytes one image adds to the file (its dataset and root index entry). */
  public static long estimatedBytesPerImage(int dim) {
    return 4L * dim + ObjectWriter.ESTIMATED_HEADER_BYTES + RootIndex.ESTIMATED_BYTES_PER_IMAGE;
  }

  public int dim() {
    return dim;
  }

  public synchronized int durableCount() {
    return file.durableCount();
  }

  public synchronized void write(long imageId, float[] feature) {
    checkArgument(imageId >= 0, "image id (%s) must be >= 0", imageId);
    checkNotNull(feature, "feature of image %s", imageId);
    checkArgument(
        feature.length == dim,
        "feature of image %s has length %s, but %s has fdim %s",
        imageId,
        feature.length,
        file.file(),
        dim);
    file.checkWritable(imageId);
    file.append(
        imageId, sink -> ObjectWriter.floatDataset(sink, new long[] {dim}, feature, 0));
  }

  /**
   * Appends one image as a run of bytes another ctx4j visual file of the same fdim holds (see
   * {@link AppendableHdf5File#appendMoved}).
   */
  public synchronized void writeMoved(
      long imageId, long start, ByteBuffer run, int[] addressFields, long header) {
    file.checkWritable(imageId);
    file.appendMoved(imageId, start, run, addressFields, header);
  }

  @Override
  public synchronized void close() {
    if (file.isClosed()) {
      return;
    }
    RootAttributes attributes = Provenance.attributes(FORMAT, provenance);
    attributes.putLong("fdim", dim);
    file.finish(attributes);
  }

  /** Stops without finalising, leaving the partial file for a later resume. */
  public synchronized void abandon() {
    file.abandon();
  }
}
