package org.ctx4j.core;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ctx4j.core.retrieval.TopKIndex;
import org.ctx4j.core.retrieval.TopKIndexes;
import org.ctx4j.hdf5.CaptionDbFile;
import org.ctx4j.hdf5.MatrixLocation;

/**
 * A caption database: the sorted unique Visual Genome captions with their CLIP text keys (the
 * retrieval index) and features (what textual contexts store), from a {@code caption_db.hdf5}
 * written by ctx4j or by the original's {@code encode_captions.py} (one group per batch).
 *
 * <pre>{@code
 * try (CaptionDb db = CaptionDb.open(Path.of("caption_db.hdf5"))) {
 *   String text = db.caption(42);
 *   float[] feature = db.feature(42); // db.featureDim() floats
 * }
 * }</pre>
 *
 * Thread-safe. Holds the file open until {@link #close()}.
 */
public final class CaptionDb implements AutoCloseable {
  private final CaptionDbFile file;

  private CaptionDb(CaptionDbFile file) {
    this.file = file;
  }

  /**
   * Opens a caption db.
   *
   * @throws org.ctx4j.Hdf5FormatException if the file is not a caption db (the message says what
   *     it is)
   * @throws org.ctx4j.Hdf5FileException if it cannot be read
   */
  public static CaptionDb open(Path file) {
    return new CaptionDb(CaptionDbFile.open(file));
  }

  /** Number of captions. */
  public int size() {
    return file.size();
  }

  /** Width of the retrieval keys (the CLIP projection, 512 for ViT-B/32). */
  public int keyDim() {
    return file.keyDim();
  }

  /** Width of the stored text features (the text tower's pooled output, 512 for ViT-B/32). */
  public int featureDim() {
    return file.featureDim();
  }

  /** Whether the file is in the original's layout (one group per batch) rather than ctx4j's. */
  public boolean isOriginalLayout() {
    return file.isOriginalLayout();
  }

  /** Caption {@code index} (0-based, in the db's order: code-point sorted). */
  public String caption(int index) {
    return file.captions().get(index);
  }

  /** All captions, in the db's order. */
  public List<String> captions() {
    return file.captions();
  }

  /** The text feature of caption {@code index}. */
  public float[] feature(int index) {
    return file.features(index);
  }

  /** The retrieval key of caption {@code index}: its L2-normalised text projection. */
  public float[] key(int index) {
    return file.keys(index, 1);
  }

  /** The file read. */
  public Path path() {
    return file.file();
  }

  /**
   * The file's root attributes as strings ({@code size}, {@code key_dim}, {@code feature_dim}, and
   * for ctx4j builds {@code model}, {@code model_digest}, {@code visual_genome_digest}).
   */
  public Map<String, String> attributes() {
    return file.attributes();
  }

  /**
   * Makes, or finds current, the panel cache that a build's exact float32 search keeps beside
   * this caption db ({@code <file>.panels}, see {@link TopKIndexes.Builder#panelCache} and
   * docs/retrieval.md). For jobs whose tasks start searching together (the Spark image job): made
   * once before, instead of one task writing it while the others search in place. Returns whether
   * the cache is there; false for a caption db in the original layout (its keys are not one
   * matrix in the file), with {@code -Dctx4j.retrieval.panelCache=false}, or where it cannot be
   * made.
   */
  public boolean preparePanelCache() {
    Optional<MatrixLocation> keys = file.keysLocation();
    if (keys.isEmpty() || !RetrievalChoice.panelCacheEnabled()) {
      return false;
    }
    MatrixLocation loc = keys.get();
    Path cache = RetrievalChoice.panelCacheOf(loc.file());
    try (TopKIndex index = TopKIndexes.builder().threads(1)
        .mappedKeys(loc.file(), loc.offset(), loc.rows(), loc.cols()).panelCache(cache).build()) {
      return Files.isRegularFile(cache) && index.size() == loc.rows();
    }
  }

  /** The open file, for the retrieval index and the live context in this module. */
  CaptionDbFile file() {
    return file;
  }

  @Override
  public void close() {
    file.close();
  }
}
