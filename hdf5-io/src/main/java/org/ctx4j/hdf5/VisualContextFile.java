package org.ctx4j.hdf5;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.base.Suppliers;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import org.ctx4j.Hdf5FileException;
import org.ctx4j.Hdf5FormatException;
import org.ctx4j.UnknownImageException;
import org.ctx4j.hdf5.internal.read.ContextReader.Entry;
import org.ctx4j.hdf5.internal.read.ContextReader;
import org.ctx4j.hdf5.internal.read.FileKind;
import org.ctx4j.hdf5.internal.read.ImageBlock;
import org.ctx4j.hdf5.internal.read.ImageIds;

/**
 * Reads a visual context file ({@code vis_ctx.hdf5}: root attribute {@code fdim}, one float32
 * dataset {@code (fdim,)} per image named by the decimal image id), as written by the original
 * Xmodal-Ctx code with h5py or by {@link VisualContextWriter}.
 *
 * <p>Opening reads the superblock, the root attributes and one root entry, never the whole file;
 * a lookup reads a few hundred bytes. Thread-safe. Owns an open file: close it.
 */
public final class VisualContextFile implements AutoCloseable {
  private final ContextReader reader;
  private final Map<String, String> attributes;
  private final int dim;
  private final Supplier<long[]> ids;

  private VisualContextFile(ContextReader reader) {
    this.reader = reader;
    this.attributes = Map.copyOf(reader.rootAttributes());
    FileKind.expect(reader, attributes, FileKind.VISUAL);
    this.dim = readDim();
    this.ids = Suppliers.memoize(() -> ImageIds.of(reader));
  }

  /**
   * Opens a visual context file.
   *
   * @throws Hdf5FormatException if the file is empty, truncated, not HDF5, or another kind of
   *     context file
   * @throws Hdf5FileException if it cannot be read
   */
  public static VisualContextFile open(Path file) {
    checkNotNull(file, "file");
    ContextReader reader = ContextReader.open(file);
    try {
      return new VisualContextFile(reader);
    } catch (RuntimeException e) {
      reader.close();
      throw e;
    }
  }

  private int readDim() {
    String fdim = attributes.get("fdim");
    if (fdim != null) {
      try {
        return Integer.parseInt(fdim.trim());
      } catch (NumberFormatException e) {
        throw new Hdf5FormatException(
            file(), "/", "root attribute fdim (" + fdim + ") of " + file() + " is not an integer");
      }
    }
    Entry first = reader.firstRootEntry();
    if (first == null) {
      return 0;
    }
    long[] dims = reader.dims(first);
    return dims.length == 1 ? Math.toIntExact(dims[0]) : 0;
  }

  public Path file() {
    return reader.file();
  }

  /** The feature width ({@code fdim}), 0 for a file without images or {@code fdim}. */
  public int dim() {
    return dim;
  }

  /**
   * All image ids in ascending order. The first call reads the root group's index (about 0.3 s for
   * 123,287 images); later calls return a copy.
   */
  public long[] ids() {
    return ids.get().clone();
  }

  /** Whether the file holds an image. */
  public boolean contains(long imageId) {
    return reader.child(reader.root(), Long.toString(imageId)) != null;
  }

  /**
   * The feature vector of an image ({@link #dim()} floats).
   *
   * @throws UnknownImageException if the file has no such image
   * @throws Hdf5FormatException if its dataset is not a float vector of {@code fdim} elements
   */
  public float[] features(long imageId) {
    Entry entry = reader.child(reader.root(), Long.toString(imageId));
    if (entry == null) {
      throw new UnknownImageException(file(), imageId);
    }
    if (reader.isGroup(entry)) {
      throw new Hdf5FormatException(
          file(), entry.path(), entry.path() + " in " + file() + " is a group, expected a float32 (" + dim + ",) dataset");
    }
    long[] dims = reader.dims(entry);
    if (dims.length != 1 || (dim > 0 && dims[0] != dim)) {
      throw new Hdf5FormatException(
          file(),
          entry.path(),
          entry.path() + " in " + file() + " has shape " + java.util.Arrays.toString(dims) + ", expected (" + dim + ",)");
    }
    return reader.floats(entry, 0, Math.toIntExact(dims[0]));
  }

  /**
   * The image's objects as one relocatable run of bytes, or null when the file has no such image
   * or they are not laid out as ctx4j writes them.
   */
  ImageBlock imageBlock(long imageId) {
    return reader.imageBlock(imageId);
  }

  /** Root attributes (provenance, {@code fdim}), values as text. */
  public Map<String, String> attributes() {
    return attributes;
  }

  @Override
  public void close() {
    reader.close();
  }
}
