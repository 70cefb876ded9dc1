package org.ctx4j.core;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.ctx4j.hdf5.CompactExport;
import org.ctx4j.hdf5.CropResult;
import org.ctx4j.hdf5.CropSpec;
import org.ctx4j.hdf5.TextualContextFile;

/**
 * The textual context of a dataset: per image and crop, the top-k retrieved captions with scores
 * and CLIP text features, read from a {@code txt_ctx.hdf5} written by ctx4j (either layout) or by
 * the original Xmodal-Ctx code.
 *
 * <pre>{@code
 * try (TextualContext txt = TextualContext.open(Path.of("txt_ctx.hdf5"))) {
 *   TopKTexts top = txt.topK(531912, "five", 2, 4); // crop 2 of the five crops, best 4
 * }
 * }</pre>
 *
 * <p>Crops are {@code "whole"} (index 0), {@code "five"} (0–4) and {@code "nine"} (0–8), or those
 * the file was built with. A compact file (caption ids instead of texts and features) is read
 * through its caption db, transparently. Thread-safe. Holds the file(s) open until {@link
 * #close()}.
 */
public final class TextualContext implements AutoCloseable {
  private final TextualContextFile file;

  private TextualContext(TextualContextFile file) {
    this.file = file;
  }

  /**
   * Opens a textual context file; for a compact file, also the caption db its root attribute names
   * (relative to the file's directory).
   *
   * @throws org.ctx4j.Hdf5FormatException if the file is empty, truncated, not HDF5, a visual
   *     context or a caption db, or a compact file's caption db does not match
   * @throws org.ctx4j.Hdf5FileException if it (or the caption db) cannot be read
   */
  public static TextualContext open(Path file) {
    return new TextualContext(TextualContextFile.open(file));
  }

  /** Opens a compact textual context file with its caption db given explicitly. */
  public static TextualContext open(Path file, Path captionDb) {
    return new TextualContext(TextualContextFile.open(file, captionDb));
  }

  /** The largest stored k over the crops (16 by default); 0 for a file without images. */
  public int k() {
    return file.crops().stream().mapToInt(CropSpec::k).max().orElse(0);
  }

  /**
   * The stored k of one crop.
   *
   * @throws org.ctx4j.ContextQueryException naming the valid crops if there is no such crop
   */
  public int k(String crop) {
    return file.crop(crop).k();
  }

  /** The text feature width d (512 for ViT-B/32). */
  public int dim() {
    return file.dim();
  }

  /** All image ids, ascending. The first call reads the file's index of images once. */
  public long[] ids() {
    return file.ids();
  }

  /**
   * The best {@code k} captions for crop {@code cropIndex} of {@code crop} of an image; the same
   * values as the seed README's {@code f[f"{id}/five/texts"][crop_n, :top_k]} in h5py.
   *
   * @throws org.ctx4j.UnknownImageException if the file has no such image
   * @throws org.ctx4j.ContextQueryException for an unknown crop, a crop index outside {@code
   *     [0, count)} or k outside {@code [1, k(crop)]}; the message names the value and the range
   */
  public TopKTexts topK(long imageId, String crop, int cropIndex, int k) {
    CropResult r = file.topK(imageId, crop, cropIndex, k);
    return new TopKTexts(r.texts(), r.scores(), r.features());
  }

  /**
   * {@link #topK(long, String, int, int)} for a crop strategy: {@code topK(id, CropStrategy.FIVE,
   * 2, 4)} is {@code topK(id, "five", 2, 4)}.
   */
  public TopKTexts topK(long imageId, CropStrategy crop, int cropIndex, int k) {
    return topK(imageId, crop.key(), cropIndex, k);
  }

  /** A crop the file stores: its name, how many crops of it per image, and the stored k. */
  public record StoredCrop(String name, int count, int k) {}

  /** The crops the file stores, in file order ({@code whole}, {@code five}, {@code nine}). */
  public List<StoredCrop> crops() {
    return file.crops().stream()
        .map(c -> new StoredCrop(c.name(), c.count(), c.k()))
        .collect(Collectors.toUnmodifiableList());
  }

  /**
   * One stored crop by name.
   *
   * @throws org.ctx4j.ContextQueryException naming the valid crops if there is no such crop
   */
  public StoredCrop crop(String name) {
    CropSpec c = file.crop(name);
    return new StoredCrop(c.name(), c.count(), c.k());
  }

  /** Whether the image is in the file. */
  public boolean contains(long imageId) {
    return Arrays.binarySearch(file.ids(), imageId) >= 0;
  }

  /**
   * Whether the file is in ctx4j's compact layout (caption ids and scores; texts and features are
   * read through the caption db).
   */
  public boolean isCompact() {
    return file.isCompact();
  }

  /** The file read. */
  public Path path() {
    return file.file();
  }

  /**
   * The file's root attributes as strings: {@code dim}, {@code crops}, {@code k}, and for ctx4j
   * builds the provenance ({@code model}, {@code model_digest}, {@code caption_db_identity}...; see
   * docs/pipeline.md).
   */
  public Map<String, String> attributes() {
    return file.attributes();
  }

  /**
   * Writes {@code target}, a textual context in the original layout (texts and features per image,
   * as the original's training code reads), from a compact file whose caption db is found through
   * its {@code caption_db} attribute. Resumable: rerun after an interruption to finish.
   *
   * @return the number of images written by this call (0 if {@code target} was already complete)
   * @throws org.ctx4j.Hdf5FileException if {@code compact} is not a compact textual context
   */
  public static int exportOriginalLayout(Path compact, Path target) {
    return CompactExport.toOriginalLayout(compact, target);
  }

  /** As {@link #exportOriginalLayout(Path, Path)}, with the caption db given explicitly. */
  public static int exportOriginalLayout(Path compact, Path captionDb, Path target) {
    return CompactExport.toOriginalLayout(compact, captionDb, target);
  }

  @Override
  public void close() {
    file.close();
  }
}
