package org.ctx4j.core;

import java.nio.file.Path;
import java.util.Map;
import org.ctx4j.hdf5.VisualContextFile;

/**
 * The visual context of a dataset: one frozen-CLIP image feature per image, read from a {@code
 * vis_ctx.hdf5} written by ctx4j or by the original Xmodal-Ctx code.
 *
 * <pre>{@code
 * try (VisualContext vis = VisualContext.open(Path.of("vis_ctx.hdf5"))) {
 *   float[] feature = vis.features(531912); // vis.dim() floats
 * }
 * }</pre>
 *
 * <p>Opening reads only the file's header; each lookup reads a few hundred bytes. Thread-safe.
 * Holds the file open until {@link #close()}.
 */
public final class VisualContext implements AutoCloseable {
  private final VisualContextFile file;

  private VisualContext(VisualContextFile file) {
    this.file = file;
  }

  /**
   * Opens a visual context file.
   *
   * @throws org.ctx4j.Hdf5FormatException if the file is empty, truncated, not HDF5 or a
   *     textual context / caption db (the message says which reader to use)
   * @throws org.ctx4j.Hdf5FileException if it cannot be read
   */
  public static VisualContext open(Path file) {
    return new VisualContext(VisualContextFile.open(file));
  }

  /** The feature width (768 for ViT-B/32). */
  public int dim() {
    return file.dim();
  }

  /** All image ids, ascending. The first call reads the file's index of images once. */
  public long[] ids() {
    return file.ids();
  }

  /**
   * The image's feature vector, {@link #dim()} floats.
   *
   * @throws org.ctx4j.UnknownImageException if the file has no such image
   */
  public float[] features(long imageId) {
    return file.features(imageId);
  }

  /** Whether the file has the image. */
  public boolean contains(long imageId) {
    return file.contains(imageId);
  }

  /** The file read. */
  public Path path() {
    return file.file();
  }

  /**
   * The file's root attributes as strings: {@code fdim}, and for ctx4j builds the provenance
   * ({@code model}, {@code model_digest}, {@code numerics}, {@code images_digest}; see
   * docs/pipeline.md).
   */
  public Map<String, String> attributes() {
    return file.attributes();
  }

  @Override
  public void close() {
    file.close();
  }
}
